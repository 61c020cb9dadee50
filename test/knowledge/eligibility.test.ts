import { describe, expect, it } from 'vitest';
import { olderRules, rulesInForce, seasonStatus } from '../../src/knowledge/campaign.js';
import {
  type AgeGroup,
  analyse,
  evaluate,
  notInPregnancy,
  type Profile,
} from '../../src/knowledge/eligibility.js';
import { loadKnowledge } from '../../src/knowledge/load.js';

const { vaccines, campaign } = loadKnowledge('data');
const season = (id: string) => {
  const s = vaccines.seasons.find((x) => x.season === id);
  if (!s) throw new Error(id);
  return s;
};
const s2425 = season('2024-2025');
const s2526 = season('2025-2026');
const y = (years: number) => years * 12;
const summary = (rules: typeof s2425, p: Profile) =>
  evaluate(rules, p)
    .map((r) => `${r.vaccine}:${r.status}`)
    .sort()
    .join(' ');

describe('the 2025–2026 rules (FACTS.md, imss-2025-26)', () => {
  it.each<[string, Profile, string]>([
    [
      'a baby of 1 month (pneumococcus on the routine schedule; flu from 6 months)',
      { ageMonths: 1 },
      'influenza:later pneumococcus:recommended',
    ],
    ['a baby of 6 months', { ageMonths: 6 }, 'influenza:recommended pneumococcus:recommended'],
    ['a toddler of 2 years', { ageMonths: y(2) }, 'influenza:recommended'],
    [
      'a child of 4 with asthma (COVID only with a condition)',
      { ageMonths: y(4), conditions: ['lung'] },
      'covid:recommended influenza:recommended',
    ],
    ['a child of 5, healthy', { ageMonths: y(5), conditions: [] }, 'covid:confirm'],
    [
      'a healthy adult of 40 (COVID only if never vaccinated)',
      { ageMonths: y(40), conditions: [] },
      'covid:confirm',
    ],
    [
      'someone of exactly 60',
      { ageMonths: y(60) },
      'covid:recommended influenza:recommended pneumococcus:recommended',
    ],
    [
      'a diabetic of 40',
      { ageMonths: y(40), conditions: ['diabetes'] },
      'covid:recommended influenza:recommended pneumococcus:recommended',
    ],
    [
      'a hypertensive of 40',
      { ageMonths: y(40), conditions: ['hypertension'] },
      'covid:recommended influenza:recommended pneumococcus:recommended',
    ],
    [
      'a pregnant woman of 30: all but pneumococcus',
      { ageMonths: y(30), pregnant: true, sex: 'f' },
      'covid:recommended influenza:recommended',
    ],
    [
      'a pregnant diabetic of 30: still no pneumococcus',
      { ageMonths: y(30), pregnant: true, conditions: ['diabetes'] },
      'covid:recommended influenza:recommended',
    ],
    [
      'a nurse of 30',
      { ageMonths: y(30), worker: true },
      'covid:recommended influenza:recommended pneumococcus:confirm',
    ],
    [
      'someone of 40 with plain obesity (the campaign names morbid obesity)',
      { ageMonths: y(40), conditions: ['obesity'] },
      'covid:confirm influenza:confirm',
    ],
  ])('%s', (_, profile, expected) => {
    expect(summary(s2526, profile)).toBe(expected);
  });

  it('names pneumococcus as the vaccine left out in pregnancy', () => {
    expect(notInPregnancy(s2526)).toEqual(['pneumococcus']);
  });
});

describe('the 2024–2025 rules stay as history (imss-2024-25)', () => {
  it.each<[string, Profile, string]>([
    ['a baby of 6 months', { ageMonths: 6 }, 'influenza:recommended pneumococcus:recommended'],
    ['a child of 2 years', { ageMonths: y(2) }, ''],
    [
      'someone of exactly 60',
      { ageMonths: y(60) },
      'covid:recommended influenza:confirm pneumococcus:confirm',
    ],
    [
      'pregnant, 12 weeks',
      { pregnant: true, pregnancyWeeks: 12 },
      'influenza:recommended rsv:later tdpa:later',
    ],
    [
      'pregnant, 28 weeks',
      { pregnant: true, pregnancyWeeks: 28 },
      'influenza:recommended rsv:recommended tdpa:recommended',
    ],
    [
      'pregnant, 33 weeks',
      { pregnant: true, pregnancyWeeks: 33 },
      'influenza:recommended rsv:recommended tdpa:confirm',
    ],
  ])('%s', (_, profile, expected) => {
    expect(summary(s2425, profile)).toBe(expected);
  });

  it('gives every reason of the winning status', () => {
    const flu = evaluate(s2425, { ageMonths: y(67), conditions: ['diabetes'] }).find(
      (r) => r.vaccine === 'influenza',
    );
    expect(flu?.reasons.map((r) => r.es)).toEqual([
      'muy recomendada para mayores de 60',
      'por la enfermedad crónica',
    ]);
  });
});

describe('which season applies on a date', () => {
  it.each([
    ['inside 2024–2025', '2025-01-15', 'running', '2024-2025'],
    ['between seasons: the coming one, with its start date', '2025-07-01', 'upcoming', '2025-2026'],
    ['inside 2025–2026', '2025-11-20', 'running', '2025-2026'],
    ['on the last day of 2025–2026', '2026-04-03', 'running', '2025-2026'],
    ['past every season: the newest season', '2026-12-04', 'ended', '2025-2026'],
  ])('%s', (_, today, status, id) => {
    const force = rulesInForce(campaign, vaccines, today);
    expect(force.status.kind).toBe(status);
    expect(force.season.id).toBe(id);
    expect(force.rules.season).toBe(id);
    expect(seasonStatus(campaign, today).kind).toBe(status);
  });

  it('finds the earlier season that gave a vaccine the newest one does not (RSV, whooping cough)', () => {
    const force = rulesInForce(campaign, vaccines, '2026-12-04');
    expect(olderRules(campaign, vaccines, force, 'rsv')?.season.id).toBe('2024-2025');
    expect(olderRules(campaign, vaccines, force, 'tdpa')?.season.id).toBe('2024-2025');
    expect(olderRules(campaign, vaccines, force, 'influenza')?.season.id).toBe('2024-2025');
    expect(
      olderRules(campaign, vaccines, rulesInForce(campaign, vaccines, '2025-01-15'), 'rsv'),
    ).toBeUndefined();
  });
});

describe('answering from what is known', () => {
  const fixed = (group: AgeGroup, p: Profile, only?: string[]) => {
    const a = analyse(s2526, p, group, only);
    return {
      results: a.results.map((r) => `${r.vaccine}:${r.status}`).sort(),
      ifs: Object.fromEntries(a.ifs.map((i) => [i.fact, [...i.vaccines].sort()])),
      ageMatters: a.ageMatters,
    };
  };

  it('a man of 34: nothing for sure, what a condition or health work would add; never pregnancy', () => {
    expect(fixed('any', { ageMonths: y(34), sex: 'm' })).toEqual({
      results: ['covid:confirm'],
      ifs: { conditions: ['covid', 'influenza', 'pneumococcus'], worker: ['covid', 'influenza'] },
      ageMatters: false,
    });
  });

  it('a woman of 34: pregnancy is one of the "if" lines, never a question', () => {
    expect(fixed('any', { ageMonths: y(34), sex: 'f' }).ifs.pregnant).toEqual(['covid', 'influenza']);
  });

  it('no pregnancy line for someone over 55, a child, or a man', () => {
    expect(fixed('any', { ageMonths: y(58), sex: 'f' }).ifs.pregnant).toBeUndefined();
    expect(fixed('child', { ageMonths: y(8) }).ifs.pregnant).toBeUndefined();
    expect(fixed('any', { sex: 'm' }).ifs.pregnant).toBeUndefined();
  });

  it('someone of 67: everything, and no fact would change it', () => {
    expect(fixed('any', { ageMonths: y(67) })).toEqual({
      results: ['covid:recommended', 'influenza:recommended', 'pneumococcus:recommended'],
      ifs: {},
      ageMatters: false,
    });
  });

  it('a pregnancy of unknown age: the age does not matter', () => {
    expect(fixed('any', { pregnant: true, sex: 'f' })).toMatchObject({
      results: ['covid:recommended', 'influenza:recommended'],
      ageMatters: false,
    });
  });

  it('a child of unknown age: the age decides', () => {
    expect(fixed('child', {}).ageMatters).toBe(true);
  });

  it('a health worker of unknown age: flu and COVID hold, what the age would add is said', () => {
    const a = fixed('any', { worker: true });
    expect(a.results).toEqual(['covid:recommended', 'influenza:recommended']);
    expect(a.ifs.older).toEqual(['pneumococcus']);
  });

  it('only the vaccines asked about', () => {
    expect(fixed('any', { ageMonths: y(67) }, ['covid']).results).toEqual(['covid:recommended']);
  });
});
