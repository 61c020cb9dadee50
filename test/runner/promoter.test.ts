import { describe, expect, it } from 'vitest';
import { isOnlyGreeting, parsePromoter } from '../../src/runner/promoter.js';

describe('promoter codes in click-to-chat first messages', () => {
  it.each([
    ['Hola VacunaBot, código PROMO-123', 'PROMO-123', 'Hola VacunaBot,'],
    ['Hola VacunaBot, codigo PROMO-123', 'PROMO-123', 'Hola VacunaBot,'],
    ['Hola VacunaBot, co\u0301digo PROMO-123', 'PROMO-123', 'Hola VacunaBot,'], // decomposed accent
    ['CÓDIGO: brigada_07', 'brigada_07', ''],
    [
      'hi, code #IZT-2025-04. where can I get vaccinated?',
      'IZT-2025-04',
      'hi, . where can I get vaccinated?',
    ],
    [`codigo A1${'x'.repeat(62)}`, `A1${'x'.repeat(62)}`, ''],
  ])('finds the code in %j', (text, code, rest) => {
    expect(parsePromoter(text)).toEqual({ code, rest });
  });

  it.each([
    'mi codigo postal es 04510', // "postal": no digit
    'codigo 04510', // a postal code: no letter
    'code ABC', // no digit
    'mi códigoPROMO1', // not a word of its own
    `codigo A1${'x'.repeat(63)}`, // longer than 64
    'hola',
    // a phone number is personal data, not a code (issue 15)
    'codigo 5215512345678',
    'código 55-1234-5678',
    'code A5512345678',
    'codigo 1234567',
  ])('finds no code in %j', (text) => {
    expect(parsePromoter(text)).toBeUndefined();
  });

  it.each([
    ['', true],
    ['Hola VacunaBot,', true],
    ['buenas tardes!', true],
    ['Hi bot', true],
    ['hola, ¿dónde me vacuno?', false],
    ['tengo 67', false],
  ])('%j is only a greeting: %s', (text, only) => {
    expect(isOnlyGreeting(text)).toBe(only);
  });
});
