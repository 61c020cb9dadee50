import { type Block, closeMinutes, toMinutes } from '../core/clock.js';
import type { CampaignFile, Season, SeasonRules, VaccinesFile } from './schemas.js';

export type SeasonStatus =
  | { kind: 'upcoming'; season: Season }
  | { kind: 'running'; season: Season }
  | { kind: 'ended'; season: Season };

const byEnd = (campaign: CampaignFile) => [...campaign.seasons].sort((a, b) => a.end.localeCompare(b.end));

/**
 * Where today (a local YYYY-MM-DD date) stands against the known seasons. Past the last one we
 * say so honestly instead of guessing next season's dates.
 */
export function seasonStatus(campaign: CampaignFile, today: string): SeasonStatus {
  const seasons = byEnd(campaign);
  for (const season of seasons) {
    if (today > season.end) continue;
    if (season.start && today < season.start) return { kind: 'upcoming', season };
    return { kind: 'running', season };
  }
  // seasons has at least one entry (schema), so the last one exists
  return { kind: 'ended', season: seasons[seasons.length - 1] as Season };
}

/** The eligibility rules that apply today, and the season they come from. */
export interface RulesInForce {
  status: SeasonStatus;
  /** The season whose rules apply: today's, the next one's, or past every season the newest one's. */
  season: Season;
  rules: SeasonRules;
}

/**
 * Inside a season its rules apply; before one starts, that season's; past the end of every known
 * season, the newest season's (and the bot says which). A season without rules yet borrows the
 * rules of the newest season before it that has them.
 */
export function rulesInForce(campaign: CampaignFile, vaccines: VaccinesFile, today: string): RulesInForce {
  const status = seasonStatus(campaign, today);
  const { seasons, rulesOf } = withRules(campaign, vaccines);
  for (let i = seasons.indexOf(status.season); i >= 0; i--) {
    const season = seasons[i] as Season;
    const rules = rulesOf.get(season.id);
    if (rules) return { status, season, rules };
  }
  // No season up to today has rules: the earliest season that has them (load() checks there is one).
  const first = seasons.find((s) => rulesOf.has(s.id)) as Season;
  return { status, season: first, rules: rulesOf.get(first.id) as SeasonRules };
}

/**
 * For a vaccine the season in force does not include (RSV and whooping cough in 2025–2026): the
 * newest earlier season that did, so the bot can say what that season said, and that it is history.
 */
export function olderRules(
  campaign: CampaignFile,
  vaccines: VaccinesFile,
  inForce: RulesInForce,
  vaccine: string,
): { season: Season; rules: SeasonRules } | undefined {
  const { seasons, rulesOf } = withRules(campaign, vaccines);
  for (let i = seasons.indexOf(inForce.season) - 1; i >= 0; i--) {
    const season = seasons[i] as Season;
    const rules = rulesOf.get(season.id);
    if (rules && vaccine in rules.who) return { season, rules };
  }
  return undefined;
}

/** The seasons by end date, and each one's eligibility rules (a season may have none yet). */
function withRules(campaign: CampaignFile, vaccines: VaccinesFile) {
  return { seasons: byEnd(campaign), rulesOf: new Map(vaccines.seasons.map((s) => [s.season, s])) };
}

/** What the newest season that says something says ("where", "weekends"): older seasons fill a gap. */
export function newestSaid<T>(
  campaign: CampaignFile,
  said: (season: Season) => T | undefined,
): T | undefined {
  const seasons = byEnd(campaign);
  for (let i = seasons.length - 1; i >= 0; i--) {
    const value = said(seasons[i] as Season);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** The campaign's standing hours as opening blocks (the default for units without a schedule). */
export function standingBlocks(campaign: CampaignFile): Block[] {
  const h = campaign.standingHours;
  return [{ days: h.days, open: toMinutes(h.open), close: closeMinutes(h.close) }];
}
