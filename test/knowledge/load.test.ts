import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataError } from '../../src/errors.js';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { loadNluData } from '../../src/nlu/lexicon.js';
import { tempDir } from '../harness.js';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
  cpSync('data', tmp.dir, { recursive: true });
});
afterEach(() => tmp.cleanup());

const edit = (file: string, change: (json: any) => void) => {
  const path = join(tmp.dir, file);
  const json = JSON.parse(readFileSync(path, 'utf8'));
  change(json);
  writeFileSync(path, JSON.stringify(json));
};
const failure = (load: () => unknown): DataError => {
  try {
    load();
  } catch (err) {
    if (err instanceof DataError) return err;
    throw err;
  }
  throw new Error('expected a DataError');
};

describe('content validation at start-up', () => {
  it('loads the shipped content, with at least 25 FAQ topics, every entry sourced', () => {
    const k = loadKnowledge('data');
    expect(k.faq.topics.length).toBeGreaterThanOrEqual(25);
    for (const id of ['imss-2024-25', 'imss-2025-26', 'mx-911', 'mx-public-free', 'mx-linea-vida'])
      expect(k.sourceIds.has(id)).toBe(true);
    expect(k.campaign.seasons.map((s) => [s.id, s.start, s.end])).toEqual([
      ['2024-2025', undefined, '2025-03-28'],
      ['2025-2026', '2025-10-13', '2026-04-03'],
    ]);
    // every season has its own rules
    expect(k.vaccines.seasons.map((s) => s.season)).toEqual(['2024-2025', '2025-2026']);
  });

  it.each([
    ['faq.json', (j: any) => delete j.topics[3].answer.en, 'topics[3].answer.en'],
    ['faq.json', (j: any) => (j.topics[2].source = 'my-blog'), 'topics[2].source'],
    [
      'vaccines.json',
      (j: any) => (j.seasons[1].rules[0].when.ageMonths.min = -1),
      'seasons[1].rules[0].when.ageMonths.min',
    ],
    ['vaccines.json', (j: any) => (j.seasons[1].rules[1].vaccine = 'polio'), 'seasons[1].rules[1].vaccine'],
    ['vaccines.json', (j: any) => (j.seasons[1].season = '2030-2031'), 'seasons[1].season'],
    ['vaccines.json', (j: any) => (j.seasons[0].rules[0].source = 'my-blog'), 'seasons[0].rules[0].source'],
    ['campaign.json', (j: any) => (j.seasons[0].end = '28/03/2025'), 'seasons[0].end'],
    ['campaign.json', (j: any) => (j.standingHours.close = '07:00'), 'standingHours.close'],
    ['prevention.json', (j: any) => (j.tips[0].text.es = ''), 'tips[0].text.es'],
  ])('%s with a bad field names the file, the path and the problem (%s)', (file, change, where) => {
    edit(file, change);
    const err = failure(() => loadKnowledge(tmp.dir));
    expect(err.file).toBe(join(tmp.dir, file));
    expect(err.where).toBe(where);
    expect(err.problem.length).toBeGreaterThan(0);
  });

  it('names the line of a broken JSON file', () => {
    writeFileSync(join(tmp.dir, 'campaign.json'), '{\n  "seasons": [\n  oops\n]}');
    const err = failure(() => loadKnowledge(tmp.dir));
    expect(err.where).toMatch(/^line 3$/);
  });

  it('names the line and field of a bad training example', () => {
    const path = join(tmp.dir, 'nlu', 'training.jsonl');
    const lines = readFileSync(path, 'utf8').split('\n');
    lines.splice(4, 0, '{"text":"hola","lang":"fr","intent":"greeting"}');
    writeFileSync(path, lines.join('\n'));
    const err = failure(() => loadNluData(tmp.dir));
    expect(err.where).toBe('line 5, field lang');
  });

  it('rejects an emergency rule that is not a valid regular expression', () => {
    edit('nlu/emergency.json', (j) => j.rules[0].patterns.push('(unclosed'));
    expect(failure(() => loadNluData(tmp.dir)).where).toMatch(/^rules\[0\]\.patterns\[\d+\]$/);
  });
});
