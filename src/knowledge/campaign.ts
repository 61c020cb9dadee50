import { type Block, closeMinutes, toMinutes } from '../facilities/schedule.js';
import type { CampaignFile } from './schemas.js';

type Season = CampaignFile['seasons'][number];

export type SeasonStatus =
  | { kind: 'upcoming'; season: Season }
  | { kind: 'running'; season: Season }
  | { kind: 'ended'; season: Season };

/**
 * Where today (a local YYYY-MM-DD date) stands against the known seasons. Past the last one we
 * say so honestly instead of guessing next season's dates.
 */
export function seasonStatus(campaign: CampaignFile, today: string): SeasonStatus {
  const seasons = [...campaign.seasons].sort((a, b) => a.end.localeCompare(b.end));
  for (const season of seasons) {
    if (today > season.end) continue;
    if (season.start && today < season.start) return { kind: 'upcoming', season };
    return { kind: 'running', season };
  }
  // seasons has at least one entry (schema), so the last one exists
  return { kind: 'ended', season: seasons[seasons.length - 1] as Season };
}

/** The campaign's standing hours as opening blocks (the default for units without a schedule). */
export function standingBlocks(campaign: CampaignFile): Block[] {
  const h = campaign.standingHours;
  return [{ days: h.days, open: toMinutes(h.open), close: closeMinutes(h.close) }];
}
