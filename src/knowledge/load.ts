import { join } from 'node:path';
import { DataError } from '../errors.js';
import { readJsonFile } from './read-data.js';
import {
  CampaignFile,
  FaqFile,
  PreventionFile,
  SourcesFile,
  VaccinesFile,
  type CampaignFile as Campaign,
  type FaqFile as Faq,
  type PreventionFile as Prevention,
  type VaccinesFile as Vaccines,
} from './schemas.js';

export interface Knowledge {
  vaccines: Vaccines;
  prevention: Prevention;
  campaign: Campaign;
  faq: Faq;
  sourceIds: ReadonlySet<string>;
}

const ids = (source: string | string[]) => (Array.isArray(source) ? source : [source]);

/**
 * Loads and validates every content file in dataDir. Fails at start-up, naming the file, the path
 * inside it and the problem, rather than letting the bot say something unsourced later.
 */
export function loadKnowledge(dataDir: string): Knowledge {
  const file = (name: string) => join(dataDir, name);
  const sources = readJsonFile(file('sources.json'), SourcesFile);
  const vaccines = readJsonFile(file('vaccines.json'), VaccinesFile);
  const prevention = readJsonFile(file('prevention.json'), PreventionFile);
  const campaign = readJsonFile(file('campaign.json'), CampaignFile);
  const faq = readJsonFile(file('faq.json'), FaqFile);

  const sourceIds = new Set(sources.sources.map((s) => s.id));
  const checkSource = (name: string, where: string, source: string | string[]) => {
    for (const id of ids(source)) {
      if (!sourceIds.has(id)) throw new DataError(file(name), where, `unknown source "${id}" (not in sources.json)`);
    }
  };
  const unique = (name: string, what: string, list: { id: string }[]) => {
    const seen = new Set<string>();
    list.forEach((item, i) => {
      if (seen.has(item.id)) throw new DataError(file(name), `${what}[${i}].id`, `duplicate id "${item.id}"`);
      seen.add(item.id);
    });
  };

  unique('sources.json', 'sources', sources.sources);
  unique('vaccines.json', 'vaccines', vaccines.vaccines);
  unique('vaccines.json', 'conditions', vaccines.conditions);
  unique('prevention.json', 'tips', prevention.tips);
  unique('faq.json', 'topics', faq.topics);

  vaccines.vaccines.forEach((v, i) => checkSource('vaccines.json', `vaccines[${i}].source`, v.source));
  const vaccineIds = new Set(vaccines.vaccines.map((v) => v.id));
  const conditionIds = new Set(vaccines.conditions.map((c) => c.id));
  vaccines.rules.forEach((r, i) => {
    checkSource('vaccines.json', `rules[${i}].source`, r.source);
    if (!vaccineIds.has(r.vaccine)) throw new DataError(file('vaccines.json'), `rules[${i}].vaccine`, `unknown vaccine "${r.vaccine}"`);
    for (const c of r.when.anyCondition ?? []) {
      if (!conditionIds.has(c)) throw new DataError(file('vaccines.json'), `rules[${i}].when.anyCondition`, `unknown condition "${c}"`);
    }
  });
  prevention.tips.forEach((t, i) => checkSource('prevention.json', `tips[${i}].source`, t.source));
  faq.topics.forEach((t, i) => checkSource('faq.json', `topics[${i}].source`, t.source));
  campaign.seasons.forEach((s, i) => {
    checkSource('campaign.json', `seasons[${i}].source`, s.source);
    if (s.start && s.start > s.end) throw new DataError(file('campaign.json'), `seasons[${i}].start`, 'is after end');
  });
  checkSource('campaign.json', 'standingHours.source', campaign.standingHours.source);
  if (campaign.standingHours.open >= campaign.standingHours.close) {
    throw new DataError(file('campaign.json'), 'standingHours.close', 'must be later than open');
  }

  return { vaccines, prevention, campaign, faq, sourceIds };
}
