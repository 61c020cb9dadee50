import { describe, expect, it } from 'vitest';
import { sharedBrain } from '../harness.js';

const { nlu } = sharedBrain();
const understand = (text: string) => nlu.understand(text);

describe('normalisation', () => {
  it.each([
    ['HOLAAAA!!!', 'hola'],
    ['Vacúnaté', 'vacunate'],
    ['k onda', 'que onda'],
    ['xq me tengo q vacunar', 'porque me tengo que vacunar'],
    ['bacuna', 'vacuna'],
    ['ola', 'hola'],
    ['siiii', 'si'],
    ['thx u', 'thanks you'],
    ['vacnua', 'vacuna'],
    ['sesenta y cinco años', '65 anos'],
    ['seventy two years', '72 years'],
    ['🙏', 'emoji_thanks'],
  ])('%s → %s', (input, expected) => {
    expect(nlu.tokens(input).join(' ')).toBe(expected);
  });
});

describe('language detection', () => {
  it.each([
    ['hola', 'es'],
    ['gracias', 'es'],
    ['donde me vacuno', 'es'],
    ['thanks', 'en'],
    ['where is the clinic', 'en'],
    ['hi', 'en'],
    ['quiero la vacuna del flu please', 'es'],
    ['where is la clinica near me', 'en'],
  ])('%s → %s', (text, lang) => {
    expect(understand(text).lang).toBe(lang);
  });

  it.each(['ok', 'no', 'menu', '👍', '06700', 'covid', '...'])('"%s" is undecidable', (text) => {
    expect(understand(text).lang).toBeUndefined();
  });
});

describe('entities', () => {
  it.each([
    ['tengo 67', { ageMonths: 804 }],
    ['tengo 67 y soy diabetico', { ageMonths: 804, conditions: ['diabetes'] }],
    ['mi bebé de 8 meses', { ageMonths: 8 }],
    ["I'm 70", { ageMonths: 840 }],
    ['sesenta y cinco años', { ageMonths: 780 }],
    [
      'mi mama de 80 tiene azucar alta y presion alta',
      { ageMonths: 960, conditions: ['diabetes', 'hypertension'] },
    ],
    ['estoy embarazada de 30 semanas', { pregnant: true, pregnancyWeeks: 30 }],
    ['7 meses de embarazo', { pregnant: true }],
    ['no estoy embarazada', { pregnant: false }],
    ['soy enfermera', { worker: true }],
    ['I am a nurse with asthma', { worker: true, conditions: ['lung'] }],
    ['mi cp es 06700', { postalCode: '06700' }],
    ['tengo cancer y las defensas bajas', { conditions: ['cancer', 'immuno'] }],
    ['recien nacido', { ageMonths: 0 }],
    ['mi hijo de un año', { ageMonths: 12 }],
  ])('%s', (text, expected) => {
    expect(understand(text).entities).toMatchObject(expected);
  });

  it('does not take a number of children or a time as an age', () => {
    expect(understand('tengo 2 hijos').entities.ageMonths).toBeUndefined();
    expect(understand('abren a las 8 am').entities.ageMonths).toBeUndefined();
  });

  it.each([
    ['english please', 'en'],
    ['en español porfa', 'es'],
    ['cambiar a ingles', 'en'],
  ])('%s names the language %s', (text, lang) => {
    expect(understand(text).entities.targetLang).toBe(lang);
  });
});

describe('emergency rules run first', () => {
  it.each([
    'no puedo respirar',
    'NO PUEDO RESPIRARRR',
    'mi abuelo se desmayo',
    'me duele mucho el pecho',
    'tiene los labios morados',
    'mi hijo esta convulsionando',
    'mi bebe tiene fiebre muy alta',
    'se le cierra la garganta',
    "I can't breathe",
    'my dad passed out',
    'chest pain',
    'her lips are turning blue',
    'my baby has a very high fever and will not wake up',
    'EMERGENCIA',
  ])('"%s" → emergency, by a rule', (text) => {
    const u = understand(text);
    expect(u.intent).toBe('emergency');
    expect(u.emergency).toBeDefined();
  });

  it.each(['la vacuna da fiebre?', 'what are the warning signs after the shot', 'no se', 'hola'])(
    '"%s" is not an emergency',
    (text) => {
      expect(understand(text).intent).not.toBe('emergency');
    },
  );
});

describe('out of scope', () => {
  it.each(['asdfghjkl', 'cuanto esta el dolar', '', '   ', '🙈🙈🙈'])('"%s" → unknown', (text) => {
    expect(understand(text).intent).toBe('unknown');
  });
});
