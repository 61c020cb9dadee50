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
    // phones in every common format (issue 15)
    ['tel (55) 1234 5678', 'tel [número]'],
    ['+52 1 55 1234 5678', '[número]'],
    ['55_1234_5678', '[número]'],
    ['55\u20101234\u20105678', '[número]'],
    ['55–1234–5678', '[número]'],
    ['55,1234,5678', '[número]'],
    ['55.1234.5678', '[número]'],
    // identifiers: CURP and RFC whole, letters too
    ['mi curp es GODE561231HDFRRN09', 'mi curp es [id]'],
    ['rfc GODE561231GR8 porfa', 'rfc [id] porfa'],
    // addresses: from the keyword to the end of the clause
    ['vivo en calle Reforma 123 col. Juárez, donde me vacuno?', 'vivo en [dirección], donde me vacuno?'],
    ['av. Insurgentes Sur 1234, queda cerca?', '[dirección], queda cerca?'],
    ['mi domicilio es Reforma #45 int 2', '[dirección]'],
    // names: the words of the name only, the question stays readable
    ['donde me vacuno soy Juan Pérez', 'donde me vacuno soy [nombre]'],
    ['donde me vacuno, soy juan', 'donde me vacuno, soy [nombre]'],
    ['me llamo maria lopez y quiero saber', 'me llamo [nombre] y quiero saber'],
    ['Mi nombre es Rosa María, ¿me toca?', 'mi nombre es [nombre], ¿me toca?'],
    ['my name is John Smith, where do I go', 'my name is [nombre], where do i go'],
    ["I'm Ana, where?", "i'm [nombre], where?"],
  ])('%j → %j', (text, kept) => {
    expect(redactMissed(text)).toBe(kept);
  });

  it.each([
    ['tengo 67 años y 2 hijos', 'tengo 67 años y 2 hijos'],
    ['mi cp es 06700', 'mi cp es 06700'],
    ['temporada 2025', 'temporada 2025'],
    ['38,5 de fiebre', '38,5 de fiebre'],
  ])('keeps short numbers: %j', (text, kept) => {
    expect(redactMissed(text)).toBe(kept);
  });

  it.each([
    'soy diabética, me toca?',
    'soy de Monterrey',
    'i am a nurse',
    "i'm 65, do i qualify",
    'que numero de dosis es',
    'el no. de mi casa',
  ])('keeps what says what someone is, not who: %j', (text) => {
    expect(redactMissed(text)).toBe(text.toLowerCase());
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
