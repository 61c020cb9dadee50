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

/** The first person a message tells facts about, without the relation. */
const person = (text: string) => {
  const [first] = understand(text).entities.people.persons;
  return first;
};

describe('who the question is about, and what it says of them', () => {
  it.each<[string, Record<string, unknown>]>([
    ['tengo 67', { who: 'self', ageMonths: 804 }],
    ['tengo 67 y soy diabetico', { who: 'self', ageMonths: 804, conditions: ['diabetes'], sex: 'm' }],
    ['mi bebé de 8 meses', { who: 'baby', ageMonths: 8 }],
    ["I'm 70", { who: 'self', ageMonths: 840 }],
    ['sesenta y cinco años', { ageMonths: 780 }],
    [
      'mi mama de 80 tiene azucar alta y presion alta',
      { who: 'mother', sex: 'f', ageMonths: 960, conditions: ['diabetes', 'hypertension'] },
    ],
    ['estoy embarazada de 30 semanas', { who: 'self', sex: 'f', pregnant: true, pregnancyWeeks: 30 }],
    ['mi esposa tiene 7 meses de embarazo', { who: 'wife', pregnant: true, pregnancyWeeks: 30 }],
    ['no estoy embarazada', { pregnant: false }],
    ['soy enfermera', { who: 'self', worker: true, sex: 'f' }],
    ["I'm a 40 y/o nurse", { who: 'self', worker: true, ageMonths: 480 }],
    ['I am a nurse with asthma', { worker: true, conditions: ['lung'] }],
    ['estudio enfermeria y hago practicas en el hospital', { worker: true }],
    ['tengo cancer y las defensas bajas', { conditions: ['cancer', 'immuno'] }],
    ['recien nacido', { ageMonths: 0 }],
    ['mi hijo de un año', { who: 'son', sex: 'm', ageMonths: 12 }],
    ['tiene 70 años mi papá', { who: 'father', ageMonths: 840 }],
    ['my dad is 70 and got his covid shot 8 months ago', { who: 'father', ageMonths: 840 }],
    ['mi papa de 81 tiene marcapasos desde hace tres años', { who: 'father', ageMonths: 972 }],
    ['my 7 week old feels hot', { ageMonths: 1 }],
    ['mi hija de 6 semanas tiene 39', { who: 'daughter', ageMonths: 1 }],
    ['mi hija tiene 20 semanas de embarazo', { who: 'daughter', pregnancyWeeks: 20 }],
    ['no perdon son 28 semanas no 18', { pregnancyWeeks: 28 }],
    ['le toca la vacuna a alguien de 70', { who: 'other', ageMonths: 840 }],
    ['mi vecina de 65 le toca?', { who: 'other', ageMonths: 780 }],
    ['im a 34 year old guy no conditions', { who: 'self', ageMonths: 408, sex: 'm' }],
    [
      'mi mamá no es diabética pero tiene presión alta',
      { who: 'mother', notConditions: ['diabetes'], conditions: ['hypertension'] },
    ],
    ['obesidad morbida', { conditions: ['morbid-obesity'] }],
  ])('%s', (text, expected) => {
    expect(person(text)).toMatchObject(expected);
  });

  it('tells two people apart in one message', () => {
    const [me, son] = understand('tengo 35 y mi hijo tiene 4 años').entities.people.persons;
    expect(me).toMatchObject({ who: 'self', ageMonths: 420 });
    expect(son).toMatchObject({ who: 'son', ageMonths: 48 });
  });

  it('reads a general question as a topic, not as a fact about the writer', () => {
    const week = understand('a partir de que semana de embarazo se pone la vacuna de la tos ferina');
    expect(week.entities.people.persons).toEqual([]);
    expect(week.entities.people.topics.pregnancy).toBe(true);
    const workers = understand('el personal de salud es grupo prioritario?');
    expect(workers.entities.people.persons).toEqual([]);
    expect(workers.entities.people.topics).toMatchObject({ worker: true, group: 'worker' });
  });

  it('does not make a health worker of "ir al doctor"', () => {
    expect(understand('tengo que ir al doctor mañana, me puedo vacunar?').entities.people.persons).toEqual(
      [],
    );
  });

  it('names the person asked about without facts, and "¿y yo?"', () => {
    expect(understand('¿le toca a mi mamá?').entities.people.asked).toMatchObject({
      who: 'mother',
      sex: 'f',
    });
    expect(understand('y yo?').entities.people.asked).toEqual({ who: 'self' });
  });

  it('does not take a number of children, a time or a time ago as an age', () => {
    expect(person('tengo 2 hijos')?.ageMonths).toBeUndefined();
    expect(person('abren a las 8 am')?.ageMonths).toBeUndefined();
    expect(person('me vacune hace 3 meses')?.ageMonths).toBeUndefined();
  });

  it('finds the postal code, the day asked about, corrections and follow-ups', () => {
    expect(understand('mi cp es 06700').entities.postalCode).toBe('06700');
    expect(understand('y el sabado?').entities).toMatchObject({
      day: { kind: 'weekday', weekday: 6 },
      followUp: true,
    });
    expect(understand('trabajo de lunes a viernes, abren el domingo?').entities.day).toEqual({
      kind: 'weekday',
      weekday: 7,
    });
    expect(understand('y los fines de semana?').entities.day).toEqual({ kind: 'weekend' });
    expect(understand('por la mañana').entities.day).toBeUndefined();
    expect(understand('no perdón, tengo 52').entities.correction).toBe(true);
  });

  it.each([
    ['english please', 'en'],
    ['en español porfa', 'es'],
    ['cambiar a ingles', 'en'],
    ['contéstame en inglés, se lo voy a reenviar a mi cuñado que no lee español', 'en'],
    ['no entiendo inglés', 'es'],
    ["I don't understand Spanish", 'en'],
    ['mi mamá no puede hablar inglés', 'es'],
  ])('%s asks for %s', (text, lang) => {
    expect(understand(text).entities.targetLang).toBe(lang);
  });
});

describe('temperatures', () => {
  it.each<[string, number | undefined]>([
    ['tiene 39.5', 39.5],
    ['38,7 de fiebre', 38.7],
    ['fiebre de 39 grados', 39],
    ['temperatura de 38', 38],
    ['thermometer says 101.3', 38.5],
    ['102 F', 38.9],
    ['mi hijo tiene 39 años', undefined],
    ['tengo 38 semanas', undefined],
  ])('%s', (text, celsius) => {
    const got = sharedBrain().nlu.understand(text);
    // A temperature marks the message as being about an illness; its value decides red flags (below).
    if (celsius === undefined) expect(got.entities.illness).not.toBe(true);
    else expect(got.entities.illness).toBe(true);
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

  it.each([
    ['mi bebe de 2 meses tiene 39.5 de temperatura'],
    ['mi bebé de 6 semanas tiene 38,2'],
    ['my 7 week old feels very hot, thermometer says 101.3'],
    ['mi bebe de 3 semanas tiene fiebre'],
    ['mi bebé de 1 mes no despierta bien'],
    ['mi bebe de 2 meses no quiere comer nada desde la mañana'],
    ['al bebe se le hunden las costillas cuando respira'],
    ['mi bebe hace quejidos al respirar'],
    ['no ha mojado el pañal en todo el dia y tiene los ojitos hundidos'],
    ['despues de la vacuna se le hincho la lengua y le salieron ronchas y le cuesta respirar'],
    ['my throat feels like its closing after the covid shot'],
    ['quiero suicidarme'],
    ['ya no quiero vivir'],
    ['I want to end my life'],
    ['mi papa no puede hablar bien y se le chueco la boca'],
    ['mi nena de mes y medio anda en 38 y pico'],
    ['la bebé de tres semanas tiene treinta y ocho y medio'],
    ['al niño se le pusieron los ojos en blanco y se puso tieso'],
    ['my toddler went stiff and his eyes rolled back'],
    ['siento feo en el pecho y estoy sudando frio'],
    ['he estado guardando pastillas por si un dia ya no puedo mas'],
    ['my sister keeps saying everyone would be better off if she was gone, I mean if I was gone'],
    ['lately it feels easier to just disappear for good'],
    ['my sister keeps saying everyone would be better off without her'],
    ['my son told me he wants to hurt himself'],
    ['mi hermana dice que todos estarian mejor sin ella'],
    ['mi hija me dijo que ya no quiere despertar'],
  ])('"%s" → emergency', (text) => {
    expect(understand(text).intent).toBe('emergency');
  });

  // Written as templates so a new phrasing of age or reading is checked against every frame:
  // under 3 months any fever of 38 °C or more is a red flag; from 4 years a 38 after the shot is not.
  const babyAges = ['de 2 meses', 'de 6 semanas', 'de mes y medio', 'de un mes', 'recien nacido'];
  const readings = ['39', '38.5', '38,2', '38 y pico', 'casi 39', 'treinta y ocho y medio'];
  const frames = [
    (age: string, t: string) => `mi bebe ${age} tiene ${t}`,
    (age: string, t: string) => `mi bebé ${age} anda en ${t} de temperatura desde anoche`,
    (age: string, t: string) => `oiga una pregunta mi niña ${age} le puse el termometro y marca ${t}`,
  ];
  const babyFevers = babyAges.flatMap((age) => readings.flatMap((t) => frames.map((frame) => frame(age, t))));
  it.each(babyFevers)('"%s" → emergency', (text) => {
    expect(understand(text).intent).toBe('emergency');
  });
  it.each(
    ['de 4 años', 'de 7 años', 'de 10 años'].flatMap((age) =>
      frames.map((f) => `${f(age, '38')} despues de la vacuna`),
    ),
  )('"%s" is not an emergency', (text) => {
    expect(understand(text).intent).not.toBe('emergency');
  });

  it('thoughts of suicide are told apart, for the crisis line', () => {
    expect(understand('estoy pensando en quitarme la vida').emergency).toMatch(/^suicide/);
  });

  it("a fever told after the age was given in an earlier message is the baby's", () => {
    expect(understand('le puse el termometro y marca 38,6').intent).not.toBe('emergency');
    expect(nlu.understand('le puse el termometro y marca 38,6', { subjectMonths: 1 }).intent).toBe(
      'emergency',
    );
  });

  // Issue 15: identifiers, addresses, ages and the weather are numbers too; none is a fever, not even
  // in a conversation about a baby of 2 months (where any reading of 38 is a red flag).
  it.each([
    'mi nss 12345678901',
    'mi nss 39.5',
    'su nss 38912345678',
    'mi curp es GODE391231HDFRRN09',
    'mi rfc GODE380101GR8',
    'mi cel es 55 3839 4041',
    'mi telefono 55-38-39-40-41',
    'folio 38.5',
    'le dieron el folio 39',
    'tengo 39 años',
    'tengo 39 semanas de embarazo y fiebre de 37',
    'hace 38 grados afuera',
    'hace 39 grados, donde lo vacuno',
    "it's 102 degrees outside",
    'mi cp es 38000',
    '38000',
    'calle 39 numero 102',
    'juan39@gmail.com',
  ])('"%s" is not a fever, even about a baby of 2 months', (text) => {
    expect(nlu.understand(text, { subjectMonths: 2 }).intent).not.toBe('emergency');
    expect(understand(`mi bebe de 2 meses, ${text}`).intent).not.toBe('emergency');
  });

  it.each([
    'mi bebe de 2 meses tiene 39 de fiebre',
    'mi bebe de 2 meses tiene 39',
    'mi bebe de 2 meses, hace 38 grados afuera y tiene fiebre',
    'no puede respirar',
  ])('"%s" is still an emergency', (text) => {
    expect(understand(text).intent).toBe('emergency');
  });

  it.each([
    'la vacuna da fiebre?',
    'what are the warning signs after the shot',
    'no se',
    'hola',
    'mi esposa tiene 58',
    'y mi esposa?',
    'y la de covid?',
    'me duele el brazo desde que me vacunaron',
    'a bit of fever after the shot, is it normal?',
    'tengo tos desde hace dos dias, cuando debo ir al medico?',
    'mi hijo de 4 años tiene 38 despues de la vacuna',
    'mi bebe de 9 meses tiene 37.5 despues de la vacuna',
    'mi hija se desmayo la vez pasada que la vacunaron',
    'como se si es una emergencia?',
    'estoy confundida con las fechas de la campaña',
    'ok the ambulance is here thank you',
    'mi mama no puede hablar ingles',
    'y yo? le doy pecho todavia',
    'mi hijo tiene asma y a veces le falta el aire cuando corre, le toca la vacuna?',
    'when will the flu season disappear',
    'we would be better off without the crowds, what time do they open',
    'mi hijo se lastimo la rodilla jugando, le pueden poner la vacuna?',
    'la campaña es el proximo mes?',
  ])('"%s" is not an emergency', (text) => {
    expect(understand(text).intent).not.toBe('emergency');
  });
});

describe('out of scope', () => {
  it.each(['asdfghjkl', 'cuanto esta el dolar', '', '   ', '🙈🙈🙈'])('"%s" → unknown', (text) => {
    expect(understand(text).intent).toBe('unknown');
  });

  it.each([
    ['donde vacunan a mi perro contra la rabia en iztapalapa', 'animal'],
    ['cuando es la campaña de vacunacion antirrabica', 'animal'],
    ['a que hora abre bancomer el sabado', 'place'],
    ['horario del sat en guadalajara', 'place'],
    ['necesito una cita con el dentista', 'service'],
    ['what shots do i need for a trip to india', 'other-vaccine'],
    ['como se dice vacuna en ingles', 'translation'],
    ['mi nss es 12345678901', 'personal-data'],
  ])('"%s" is outside the domain (%s), whatever place it names', (text, kind) => {
    const u = understand(text);
    expect(u.intent).toBe('unknown');
    expect(u.outOfScope).toBe(kind);
  });

  it.each([
    'estoy cerca del metro hidalgo, donde me vacuno?',
    'tengo cita con el dentista, me puedo vacunar antes?',
  ])('"%s" names vaccination: in the domain', (text) => {
    expect(understand(text).outOfScope).toBeUndefined();
  });
});
