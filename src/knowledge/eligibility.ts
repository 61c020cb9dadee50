import { z } from 'zod';
import type { Bilingual, RuleStatus, RuleWhen, SeasonRules } from './schemas.js';

/**
 * What we know about the person a question is about. Undefined means "not said".
 * A schema because the session stores it and reads it back.
 */
export const Profile = z
  .object({
    ageMonths: z.number().int().nonnegative().optional(),
    sex: z.enum(['f', 'm']).optional(),
    pregnant: z.boolean().optional(),
    pregnancyWeeks: z.number().int().nonnegative().optional(),
    /** [] means "none"; undefined means unknown. */
    conditions: z.array(z.string()).optional(),
    worker: z.boolean().optional(),
  })
  .strict();
export type Profile = z.infer<typeof Profile>;

export interface Recommendation {
  vaccine: string;
  status: RuleStatus;
  reasons: Bilingual[];
}

const RANK: Record<RuleStatus, number> = { recommended: 3, later: 2, confirm: 1 };

const inRange = (value: number, r: { min?: number; max?: number }) =>
  (r.min === undefined || value >= r.min) && (r.max === undefined || value <= r.max);

/** A fact not said is taken as absent: not pregnant, no condition, not a health worker. */
function matches(when: RuleWhen, p: Profile): boolean {
  if (when.ageMonths && (p.ageMonths === undefined || !inRange(p.ageMonths, when.ageMonths))) return false;
  if (when.ageYears && (p.ageMonths === undefined || !inRange(Math.floor(p.ageMonths / 12), when.ageYears)))
    return false;
  if (when.pregnant !== undefined && (p.pregnant ?? false) !== when.pregnant) return false;
  if (
    when.pregnancyWeeks &&
    (p.pregnancyWeeks === undefined || !inRange(p.pregnancyWeeks, when.pregnancyWeeks))
  )
    return false;
  if (when.anyCondition && !p.conditions?.some((c) => when.anyCondition?.includes(c))) return false;
  if (when.worker !== undefined && (p.worker ?? false) !== when.worker) return false;
  return true;
}

/**
 * Results per rule set and profile: an answer evaluates a handful of "what if" profiles, from a
 * small space of possible profiles, so each is worked out once.
 */
const memo = new WeakMap<SeasonRules, Map<string, Recommendation[]>>();
const MEMO_SIZE = 10_000;

/** Applies a season's rules: per vaccine the strongest matching status, with that status's reasons. */
export function evaluate(season: SeasonRules, p: Profile): Recommendation[] {
  let cache = memo.get(season);
  if (!cache) {
    cache = new Map();
    memo.set(season, cache);
  }
  const key = `${p.ageMonths}|${p.pregnant}|${p.pregnancyWeeks}|${p.conditions}|${p.worker}`;
  let result = cache.get(key);
  if (!result) {
    result = evaluateRules(season, p);
    if (cache.size >= MEMO_SIZE) cache.clear();
    cache.set(key, result);
  }
  return result;
}

function evaluateRules(season: SeasonRules, p: Profile): Recommendation[] {
  const out: Recommendation[] = [];
  for (const vaccine of Object.keys(season.who)) {
    let best: Recommendation | undefined;
    for (const rule of season.rules) {
      if (rule.vaccine !== vaccine || !matches(rule.when, p)) continue;
      if (!best || RANK[rule.status] > RANK[best.status])
        best = { vaccine, status: rule.status, reasons: [] };
      if (rule.status === best.status) best.reasons.push(rule.reason);
    }
    if (best) out.push(best);
  }
  return out;
}

/** How old the person probably is when the message does not say: from who they are to the writer. */
export type AgeGroup = 'baby' | 'child' | 'adult' | 'parent' | 'elder' | 'any';

const years = (y: number) => y * 12;
const AGES: Record<AgeGroup, number[]> = {
  baby: [1, 4, 8, 14, 20],
  child: [8, years(3), years(8), years(13)],
  adult: [years(25), years(40), years(55), years(65)],
  parent: [years(45), years(70)],
  elder: [years(70), years(85)],
  any: [years(20), years(35), years(50), years(70)],
};
/** A pregnancy of unknown age: the ages at which pregnancies happen, not 65. */
const PREGNANT_AGES = [years(18), years(28), years(38)];
/** Ages at which pregnancy is worth mentioning at all: a UX choice, not a medical rule. */
const PREGNANCY_YEARS = { min: 12, max: 55 };
/** The conditions an "if they also have …" line stands for: those the rules name most. */
const RISK_EXAMPLES = ['diabetes', 'hypertension', 'heart', 'lung'];

/** A fact that, if true, would add vaccines to the answer. */
export type IfFact = 'older' | 'conditions' | 'pregnant' | 'worker';

export interface Analysis {
  /** What holds for what is known (facts not said taken as absent; over the likely ages when age is unknown). */
  results: Recommendation[];
  /** Vaccines one more fact would add (only those not already recommended). */
  ifs: { fact: IfFact; vaccines: string[] }[];
  /** The age would change the answer: the one question worth offering. */
  ageMatters: boolean;
}

const key = (r: Recommendation) => `${r.vaccine}:${r.status}`;

/** What holds for every likely age (the reasons of the first). */
function common(season: SeasonRules, variants: Profile[]): Recommendation[] {
  const [first, ...rest] = variants.map((v) => evaluate(season, v));
  const sets = rest.map((list) => new Set(list.map(key)));
  return (first ?? []).filter((r) => sets.every((s) => s.has(key(r))));
}

/** Whether pregnancy can apply to this person, so that the bot may mention it. */
function pregnancyPossible(p: Profile, group: AgeGroup): boolean {
  if (p.sex === 'm' || p.pregnant !== undefined) return false;
  if (p.ageMonths !== undefined) return inRange(Math.floor(p.ageMonths / 12), PREGNANCY_YEARS);
  return group === 'adult' || group === 'any';
}

/**
 * The answer to "does it apply to them?" from whatever is known: the results that hold, the
 * vaccines one more fact would add ("if she is also diabetic…"), and whether the age would matter.
 * `only` limits it to the vaccines the question named.
 */
export function analyse(
  season: SeasonRules,
  p: Profile,
  group: AgeGroup,
  only?: readonly string[],
): Analysis {
  // Pure, and the same few profiles come back all day (60+, a pregnancy, a toddler…): worked out once each.
  let cache = analyses.get(season);
  if (!cache) {
    cache = new Map();
    analyses.set(season, cache);
  }
  const id = `${p.ageMonths}|${p.sex}|${p.pregnant}|${p.pregnancyWeeks}|${p.conditions}|${p.worker}|${group}|${only}`;
  let result = cache.get(id);
  if (!result) {
    result = analyseProfile(season, p, group, only);
    if (cache.size >= MEMO_SIZE) cache.clear();
    cache.set(id, result);
  }
  return result;
}

const analyses = new WeakMap<SeasonRules, Map<string, Analysis>>();

function analyseProfile(
  season: SeasonRules,
  p: Profile,
  group: AgeGroup,
  only?: readonly string[],
): Analysis {
  const ages = p.ageMonths !== undefined ? [p.ageMonths] : p.pregnant ? PREGNANT_AGES : AGES[group];
  const at = (extra: Partial<Profile>) => ages.map((ageMonths) => ({ ...p, ...extra, ageMonths }));
  const keep = (list: Recommendation[]) =>
    only?.length ? list.filter((r) => only.includes(r.vaccine)) : list;
  const results = keep(common(season, at({})));
  const recommended = new Set(results.filter((r) => r.status === 'recommended').map((r) => r.vaccine));
  const adds = (variants: Profile[]) =>
    keep(common(season, variants))
      .filter((r) => r.status === 'recommended' && !recommended.has(r.vaccine))
      .map((r) => r.vaccine);
  const ifs: Analysis['ifs'] = [];
  const push = (fact: IfFact, vaccines: string[]) => {
    if (vaccines.length) ifs.push({ fact, vaccines });
  };
  const variants = at({}).map((v) => evaluate(season, v).map(key).join());
  const ageMatters = p.ageMonths === undefined && new Set(variants).size > 1;
  if (ageMatters && (group === 'adult' || group === 'any' || group === 'parent'))
    push('older', adds([{ ...p, ageMonths: years(65) }]));
  if (p.conditions === undefined) {
    const withRisk = RISK_EXAMPLES.flatMap((c) => adds(at({ conditions: [c] })));
    push('conditions', [...new Set(withRisk)]);
  }
  if (pregnancyPossible(p, group)) push('pregnant', adds(at({ pregnant: true })));
  if (p.worker === undefined && group !== 'baby' && group !== 'child' && group !== 'elder')
    push('worker', adds(at({ worker: true })));
  return { results, ifs, ageMatters };
}

/** The vaccines a season's rules give only outside pregnancy (pneumococcus in 2025–2026). */
export function notInPregnancy(season: SeasonRules): string[] {
  return [...new Set(season.rules.filter((r) => r.when.pregnant === false).map((r) => r.vaccine))];
}

/** Vaccines an earlier season recommended for this profile that the season in force does not include. */
export function historyFor(older: SeasonRules, p: Profile, vaccine: string): Recommendation | undefined {
  return evaluate(older, p).find((r) => r.vaccine === vaccine);
}
