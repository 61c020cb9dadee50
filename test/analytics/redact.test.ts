import { describe, expect, it } from 'vitest';
import { MISSED_MAX_LENGTH, redactMissed } from '../../src/analytics/redact.js';

describe('questions not understood: redacted and normalised before they are kept', () => {
  it.each([
    ['mi numero es 55 1234 5678 llamame', 'mi numero es [número] llamame'],
    ['Marca al +52 (55) 1234-5678', 'marca al [número]'],
    ['whatsapp 5215555550123', 'whatsapp [número]'],
    ['mi nss es 12345678901', 'mi nss es [número]'],
    ['naci el 15/01/1958', 'naci el [número]'],
    // errs on the side of privacy: 7 digits split by a dash are redacted whatever they were
    ['temporada 2025-2026', 'temporada [número]'],
    ['folio ABC1234567XYZ', 'folio abc[número]xyz'],
    ['escribeme a Maria.Perez+vacuna@Example.com.mx porfa', 'escribeme a [email] porfa'],
    ['chat 5215555550123@c.us', 'chat [email]'],
    ['full-width ５５１２３４５６７８', 'full-width [número]'],
    ['zero\u200bwidth 555\u200b1234\u200b567', 'zero width [número]'],
  ])('%j → %j', (text, kept) => {
    expect(redactMissed(text)).toBe(kept);
  });

  it.each([
    ['tengo 67 años y 2 hijos', 'tengo 67 años y 2 hijos'],
    ['mi cp es 06700', 'mi cp es 06700'],
    ['temporada 2025', 'temporada 2025'],
  ])('keeps short numbers: %j', (text, kept) => {
    expect(redactMissed(text)).toBe(kept);
  });

  it('lowercases, trims and collapses spaces, so the same question counts once', () => {
    const forms = ['Quien gano el partido', '  quien   GANO el\tpartido  ', 'quien gano el partido\n'];
    expect(new Set(forms.map(redactMissed))).toEqual(new Set(['quien gano el partido']));
  });

  it('never keeps part of a number cut off at the end of a very long message', () => {
    // a pasted page is cut at 1,000 characters first: here through the middle of a phone number
    const long = `${'1'.repeat(993)}a 5512345678 más texto`;
    expect(redactMissed(long)).toBe('[número]a');
  });

  it('keeps at most 200 characters and nothing of an empty message', () => {
    expect([...redactMissed('á'.repeat(500))]).toHaveLength(MISSED_MAX_LENGTH);
    expect(redactMissed('  \n ')).toBe('');
  });
});
