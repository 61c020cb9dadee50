import { join } from 'node:path';
import { DataError } from '../errors.js';
import { readJsonFile } from './read-data.js';
import {
  type CampaignFile as Campaign,
  CampaignFile,
  type FaqFile as Faq,
  FaqFile,
  type PreventionFile as Prevention,
  PreventionFile,
  SourcesFile,
  type VaccinesFile as Vaccines,
  VaccinesFile,
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
      if (!sourceIds.has(id))
        throw new DataError(file(name), where, `unknown source "${id}" (not in sources.json)`);
    }
  };
  const checkSources = (name: string, what: string, list: readonly { source: string | string[] }[]) => {
    list.forEach((item, i) => {
      checkSource(name, `${what}[${i}].source`, item.source);
    });
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

  const vaccineIds = new Set(vaccines.vaccines.map((v) => v.id));
  const conditionIds = new Set(vaccines.conditions.map((c) => c.id));
  const seasonIds = new Set(campaign.seasons.map((s) => s.id));
  vaccines.seasons.forEach((season, i) => {
    const at = `seasons[${i}]`;
    if (!seasonIds.has(season.season))
      throw new DataError(
        file('vaccines.json'),
        `${at}.season`,
        `unknown season "${season.season}" (not in campaign.json)`,
      );
    checkSource('vaccines.json', `${at}.source`, season.source);
    for (const id of Object.keys(season.who)) {
      if (!vaccineIds.has(id))
        throw new DataError(file('vaccines.json'), `${at}.who.${id}`, `unknown vaccine "${id}"`);
    }
    season.rules.forEach((r, j) => {
      const where = `${at}.rules[${j}]`;
      if (!vaccineIds.has(r.vaccine))
        throw new DataError(file('vaccines.json'), `${where}.vaccine`, `unknown vaccine "${r.vaccine}"`);
      if (!(r.vaccine in season.who))
        throw new DataError(
          file('vaccines.json'),
          `${where}.vaccine`,
          `"${r.vaccine}" has no "who" line in this season`,
        );
      for (const c of r.when.anyCondition ?? []) {
        if (!conditionIds.has(c))
          throw new DataError(
            file('vaccines.json'),
            `${where}.when.anyCondition`,
            `unknown condition "${c}"`,
          );
      }
      checkSource('vaccines.json', `${where}.source`, r.source);
    });
  });
  checkSources('prevention.json', 'tips', prevention.tips);
  checkSources('faq.json', 'topics', faq.topics);
  campaign.seasons.forEach((s, i) => {
    if (s.start && s.start > s.end)
      throw new DataError(file('campaign.json'), `seasons[${i}].start`, 'is after end');
  });
  checkSources('campaign.json', 'seasons', campaign.seasons);
  checkSource('campaign.json', 'standingHours.source', campaign.standingHours.source);
  if (campaign.standingHours.open >= campaign.standingHours.close) {
    throw new DataError(file('campaign.json'), 'standingHours.close', 'must be later than open');
  }

  return { vaccines, prevention, campaign, faq, sourceIds };
}
