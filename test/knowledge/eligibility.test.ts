import { describe, expect, it } from 'vitest';
import { conclude, evaluate, nextQuestion, type Profile } from '../../src/knowledge/eligibility.js';
import { loadKnowledge } from '../../src/knowledge/load.js';

const { vaccines } = loadKnowledge('data');
const y = (years: number) => years * 12;
const summary = (p: Profile) =>
  evaluate(vaccines, p)
    .map((r) => `${r.vaccine}:${r.status}`)
    .sort()
    .join(' ');

describe('eligibility rules (FACTS.md, imss-2024-25)', () => {
  it.each<[string, Profile, string]>([
    ['a baby of 3 months', { ageMonths: 3 }, 'pneumococcus:recommended'],
    ['a baby of 6 months', { ageMonths: 6 }, 'influenza:recommended pneumococcus:recommended'],
    ['a baby of 11 months', { ageMonths: 11 }, 'influenza:recommended pneumococcus:recommended'],
    ['a toddler of 12 months', { ageMonths: 12 }, 'pneumococcus:recommended'],
    ['a child of 23 months', { ageMonths: 23 }, 'pneumococcus:recommended'],
    ['a child of 2 years', { ageMonths: y(2) }, ''],
    ['a child of 4 years', { ageMonths: y(4) }, ''],
    ['a child of 5 years', { ageMonths: y(5) }, 'covid:recommended'],
    ['a healthy adult of 40', { ageMonths: y(40), conditions: [] }, 'covid:recommended'],
    [
      'someone of exactly 60',
      { ageMonths: y(60) },
      'covid:recommended influenza:confirm pneumococcus:confirm',
    ],
    [
      'someone of 61',
      { ageMonths: y(61) },
      'covid:recommended influenza:recommended pneumococcus:recommended',
    ],
    [
      'a diabetic of 40',
      { ageMonths: y(40), conditions: ['diabetes'] },
      'covid:recommended influenza:recommended',
    ],
    [
      'a hypertensive of 40',
      { ageMonths: y(40), conditions: ['hypertension'] },
      'covid:recommended influenza:confirm',
    ],
    [
      'a 67-year-old diabetic',
      { ageMonths: y(67), conditions: ['diabetes'] },
      'covid:recommended influenza:recommended pneumococcus:recommended',
    ],
    [
      'pregnant, 12 weeks',
      { ageMonths: y(28), pregnant: true, pregnancyWeeks: 12 },
      'covid:recommended influenza:recommended rsv:later tdpa:later',
    ],
    [
      'pregnant, 20 weeks',
      { ageMonths: y(28), pregnant: true, pregnancyWeeks: 20 },
      'covid:recommended influenza:recommended rsv:later tdpa:recommended',
    ],
    [
      'pregnant, 28 weeks',
      { ageMonths: y(28), pregnant: true, pregnancyWeeks: 28 },
      'covid:recommended influenza:recommended rsv:recommended tdpa:recommended',
    ],
    [
      'pregnant, 32 weeks',
      { ageMonths: y(28), pregnant: true, pregnancyWeeks: 32 },
      'covid:recommended influenza:recommended rsv:recommended tdpa:recommended',
    ],
    [
      'pregnant, 33 weeks',
      { ageMonths: y(28), pregnant: true, pregnancyWeeks: 33 },
      'covid:recommended influenza:recommended rsv:recommended tdpa:confirm',
    ],
    [
      'a nurse of 30',
      { ageMonths: y(30), worker: true, conditions: [] },
      'covid:recommended influenza:confirm',
    ],
  ])('%s', (_, profile, expected) => {
    expect(summary(profile)).toBe(expected);
  });

  it('gives every reason of the winning status', () => {
    const [flu] = evaluate(vaccines, { ageMonths: y(67), conditions: ['diabetes'] });
    expect(flu?.reasons.map((r) => r.es)).toEqual([
      'muy recomendada para mayores de 60',
      'por tu enfermedad crónica',
    ]);
  });
});

describe('which question to ask next', () => {
  it.each<[string, Profile, string | undefined]>([
    ['nothing known: the age', {}, 'age'],
    ['a 67-year-old: nothing, no fact would change the answer', { ageMonths: y(67) }, undefined],
    ['a 30-year-old: pregnancy first', { ageMonths: y(30) }, 'pregnant'],
    ['a pregnant 30-year-old: the weeks', { ageMonths: y(30), pregnant: true }, 'weeks'],
    ['a 30-year-old, not pregnant: conditions', { ageMonths: y(30), pregnant: false }, 'conditions'],
    ['a pregnant woman of unknown age: the weeks, not the age', { pregnant: true }, 'weeks'],
    ['a baby of 8 months: nothing', { ageMonths: 8 }, undefined],
    ['a child of 3: conditions (flu applies with one)', { ageMonths: y(3) }, 'conditions'],
  ])('%s', (_, profile, question) => {
    expect(nextQuestion(vaccines, profile)).toBe(question);
  });

  it('never asks a skipped question again', () => {
    expect(nextQuestion(vaccines, {}, ['age'])).toBe('conditions');
    expect(nextQuestion(vaccines, {}, ['age', 'conditions'])).toBeUndefined();
  });

  it('concludes only what holds whatever the unknown age is', () => {
    const recs = conclude(vaccines, { pregnant: true, pregnancyWeeks: 30 }).map((r) => r.vaccine);
    expect(recs).toEqual(['influenza', 'covid', 'rsv', 'tdpa']);
    expect(conclude(vaccines, { conditions: [] })).toEqual([]);
  });
});
