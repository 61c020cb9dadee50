import { z } from 'zod';
import type { Bilingual, RuleStatus, RuleWhen, VaccinesFile } from './schemas.js';

/** The questions the eligibility dialog can ask, in no particular order. */
export const QUESTIONS = ['age', 'pregnant', 'weeks', 'conditions'] as const;
export type Question = (typeof QUESTIONS)[number];

/**
 * What we know about the person the question is about. Undefined means "not asked yet".
 * A schema because the session stores it and reads it back.
 */
export const Profile = z
  .object({
    ageMonths: z.number().int().nonnegative().optional(),
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

function matches(when: RuleWhen, p: Profile): boolean {
  if (when.ageMonths && (p.ageMonths === undefined || !inRange(p.ageMonths, when.ageMonths))) return false;
  if (when.ageYears && (p.ageMonths === undefined || !inRange(Math.floor(p.ageMonths / 12), when.ageYears)))
    return false;
  if (when.pregnant !== undefined && p.pregnant !== when.pregnant) return false;
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
 * Results per rule set and profile: the dialog evaluates a handful of "what if" profiles per
 * message, from a small space of possible profiles, so each is worked out once.
 */
const memo = new WeakMap<VaccinesFile, Map<string, Recommendation[]>>();
const MEMO_SIZE = 10_000;

/** Applies the data's rules: per vaccine the strongest matching status, with that status's reasons. */
export function evaluate(data: VaccinesFile, p: Profile): Recommendation[] {
  let cache = memo.get(data);
  if (!cache) {
    cache = new Map();
    memo.set(data, cache);
  }
  const key = JSON.stringify(p);
  let result = cache.get(key);
  if (!result) {
    result = evaluateRules(data, p);
    if (cache.size >= MEMO_SIZE) cache.clear();
    cache.set(key, result);
  }
  return result;
}

function evaluateRules(data: VaccinesFile, p: Profile): Recommendation[] {
  const out: Recommendation[] = [];
  for (const vaccine of data.vaccines) {
    let best: Recommendation | undefined;
    for (const rule of data.rules) {
      if (rule.vaccine !== vaccine.id || !matches(rule.when, p)) continue;
      if (!best || RANK[rule.status] > RANK[best.status])
        best = { vaccine: vaccine.id, status: rule.status, reasons: [] };
      if (rule.status === best.status) best.reasons.push(rule.reason);
    }
    if (best) out.push(best);
  }
  return out;
}

const signature = (data: VaccinesFile, p: Profile) =>
  evaluate(data, p)
    .map((r) => `${r.vaccine}:${r.status}`)
    .join(',');

const years = (y: number) => y * 12;
const AGE_CANDIDATES = [3, 8, 18, years(3), years(10), years(30), years(60), years(70)];
const ADULT_AGE_CANDIDATES = [years(16), years(30), years(45)];
const WEEK_CANDIDATES = [12, 24, 30, 36];
/** Ages at which we ask about pregnancy at all: a UX choice, not a medical rule. */
const PREGNANCY_AGE_YEARS = { min: 12, max: 50 };

function ageVariants(p: Profile): Profile[] {
  const ages = p.pregnant || p.worker ? ADULT_AGE_CANDIDATES : AGE_CANDIDATES;
  return ages.map((ageMonths) => ({ ...p, ageMonths }));
}

/**
 * The recommendation that holds whatever the unknown age is (it was not asked because it could
 * not change the answer, e.g. for a pregnant woman).
 */
export function conclude(data: VaccinesFile, p: Profile): Recommendation[] {
  if (p.ageMonths !== undefined) return evaluate(data, p);
  const [first, ...rest] = ageVariants(p).map((v) => evaluate(data, v));
  const key = (r: Recommendation) => `${r.vaccine}:${r.status}`;
  const common = rest.map((list) => new Set(list.map(key)));
  return (first ?? []).filter((r) => common.every((s) => s.has(key(r))));
}

/**
 * The next fact worth asking: the first one, in a fixed order, whose possible answers would change
 * the recommendation. Facts that cannot change the answer are never asked.
 */
export function nextQuestion(
  data: VaccinesFile,
  p: Profile,
  skip: readonly Question[] = [],
): Question | undefined {
  let cache = questions.get(data);
  if (!cache) {
    cache = new Map();
    questions.set(data, cache);
  }
  const key = `${JSON.stringify(p)}|${skip.join(',')}`;
  if (cache.has(key)) return cache.get(key);
  const question = findQuestion(data, p, skip);
  if (cache.size >= MEMO_SIZE) cache.clear();
  cache.set(key, question);
  return question;
}

/** Questions per rule set, profile and skipped questions: worked out once each. */
const questions = new WeakMap<VaccinesFile, Map<string, Question | undefined>>();

function findQuestion(data: VaccinesFile, p: Profile, skip: readonly Question[]): Question | undefined {
  const changes = (variants: Profile[]) => new Set(variants.map((v) => signature(data, v))).size > 1;

  if (p.ageMonths === undefined && !skip.includes('age') && changes(ageVariants(p))) return 'age';
  if (
    p.pregnant === undefined &&
    !skip.includes('pregnant') &&
    p.ageMonths !== undefined &&
    inRange(Math.floor(p.ageMonths / 12), PREGNANCY_AGE_YEARS) &&
    changes([
      { ...p, pregnant: true },
      { ...p, pregnant: false },
    ])
  )
    return 'pregnant';
  if (p.pregnant && p.pregnancyWeeks === undefined && !skip.includes('weeks')) {
    if (changes(WEEK_CANDIDATES.map((pregnancyWeeks) => ({ ...p, pregnancyWeeks })))) return 'weeks';
  }
  if (p.conditions === undefined && !skip.includes('conditions')) {
    const variants = [[], ...data.conditions.map((c) => [c.id])].map((conditions) => ({ ...p, conditions }));
    if (changes(variants)) return 'conditions';
  }
  return undefined;
}
