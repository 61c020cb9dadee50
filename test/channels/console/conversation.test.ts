import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allText, buildApp, Chat, optionIds, tempDir } from '../../harness.js';

let tmp: ReturnType<typeof tempDir>;
let dbPath: string;
let chat: Chat;
let n = 0;
const newChat = (now?: string) => new Chat(buildApp(dbPath), `user-${++n}`, now);
const TODAY = '2026-12-04T10:30:00-06:00';

beforeEach(async () => {
  tmp = tempDir();
  dbPath = `${tmp.dir}/bot.db`;
  chat = newChat();
});
afterEach(async () => {
  await chat.close();
  tmp.cleanup();
});

describe('every intent, in both languages, through the console channel', () => {
  const cases: { lang: 'es' | 'en'; text: string; intent: string; says: RegExp }[] = [
    { lang: 'es', text: 'hola buenas tardes', intent: 'greeting', says: /Soy VacunaBot/ },
    { lang: 'en', text: 'hello there', intent: 'greeting', says: /I'm VacunaBot/ },
    { lang: 'es', text: 'que puedes hacer?', intent: 'help', says: /Elige una opción/ },
    { lang: 'en', text: 'what can you do for me', intent: 'help', says: /Pick an option/ },
    { lang: 'es', text: 'quien se debe vacunar?', intent: 'eligibility', says: /Influenza.*\n.*COVID-19/s },
    { lang: 'en', text: 'who should get the vaccines', intent: 'eligibility', says: /Pneumococcus/ },
    { lang: 'es', text: 'donde me puedo vacunar', intent: 'facility', says: /código postal/ },
    { lang: 'en', text: 'where can i get my flu shot', intent: 'facility', says: /postal code/ },
    { lang: 'es', text: 'a que hora abren', intent: 'hours', says: /8:00 a 20:00/ },
    { lang: 'en', text: 'what are the opening hours', intent: 'hours', says: /8:00 to 20:00/ },
    { lang: 'es', text: 'como evito enfermarme de gripa', intent: 'prevention', says: /cubrebocas/ },
    { lang: 'en', text: 'how can I avoid catching the flu', intent: 'prevention', says: /face mask/ },
    { lang: 'es', text: 'cuanto cuesta la vacuna', intent: 'faq', says: /gratuit/ },
    { lang: 'en', text: 'how much does the vaccine cost', intent: 'faq', says: /free/ },
    { lang: 'es', text: 'en ingles por favor', intent: 'language', says: /I'll write in English/ },
    { lang: 'en', text: 'en español por favor', intent: 'language', says: /te escribiré en español/ },
    { lang: 'es', text: 'mi papa no puede respirar', intent: 'emergency', says: /^🚨 .*911/ },
    { lang: 'en', text: 'my mom has chest pain', intent: 'emergency', says: /^🚨 .*911/ },
    { lang: 'es', text: 'muchas gracias', intent: 'thanks', says: /Con gusto/ },
    { lang: 'en', text: 'thank you so much', intent: 'thanks', says: /You're welcome/ },
    { lang: 'es', text: 'quien gano el partido del america', intent: 'unknown', says: /solo respondo sobre/ },
    { lang: 'en', text: 'give me a lasagna recipe', intent: 'unknown', says: /I only answer about/ },
    { lang: 'es', text: 'asdfgh qwerty', intent: 'unknown', says: /no entendí/ },
  ];

  it.each(cases)('[$lang] "$text" → $intent', async ({ lang, text, intent, says }) => {
    // The second language's speakers start in Spanish (the default) and are answered in theirs.
    const out = await chat.send(text);
    expect(out.intent).toBe(intent);
    if (intent !== 'language') expect(out.lang).toBe(lang);
    expect(allText(out)).toMatch(says);
  });
});

describe('eligibility: the answer first (December 2026: past every season, the 2025–2026 rules)', () => {
  let c: Chat;
  beforeEach(async () => {
    c = newChat(TODAY);
  });
  afterEach(() => c.close());

  it('answers a full profile at once, each vaccine with its reason, and says which season the rules are from', async () => {
    const out = await c.send('tengo 67 y soy diabético');
    expect(out.intent).toBe('eligibility');
    const text = allText(out);
    expect(text).toContain('Para ti (67 años, diabetes)');
    expect(text).toMatch(/✅ Influenza: 60 años o más/);
    expect(text).toMatch(/✅ COVID-19: 60 años o más, .*12 meses/);
    expect(text).toMatch(/✅ Neumococo: 60 años o más/);
    expect(text).toMatch(
      /Según la campaña 2025-2026; las fechas de la temporada actual aún no están cargadas/,
    );
    expect(text).not.toMatch(/VSR|Tos ferina|\?/);
  });

  it('answers a general question with the groups, and the week it asked about, without a question back', async () => {
    const out = await c.send('a partir de que semana de embarazo se pone la vacuna de la tos ferina?');
    expect(out.intent).toBe('eligibility');
    expect(allText(out)).toMatch(
      /Tos ferina \(Tdpa\): embarazadas entre las semanas 20 y 32 \(campaña 2024-2025/,
    );
    expect(allText(out)).not.toMatch(/¿De cuántas semanas|¿Estás embarazada/);
  });

  it('never asks a man whether he is pregnant; says what a condition or health work would add', async () => {
    const out = await c.send('soy hombre de 34 años, me toca la vacuna?');
    const text = allText(out);
    expect(text).toMatch(/no estás en los grupos prioritarios/);
    expect(text).toMatch(
      /Si tienes una enfermedad crónica como diabetes, presión alta o enfermedad del corazón: Influenza, COVID-19 y Neumococo/,
    );
    expect(text).not.toMatch(/embaraz/i);
    // the one optional refinement, as buttons
    expect(optionIds(out)).toContain('cond:diabetes');
  });

  it("words the answer for the person asked about, and never shows an adult's menu for a toddler", async () => {
    const out = await c.send('mi niño tiene 2 años le toca la de la influenza?');
    const text = allText(out);
    expect(text).toMatch(/^Para tu hijo \(2 años\):/);
    expect(text).toMatch(/✅ Influenza: de 6 meses a 4 años/);
    expect(text).not.toMatch(/embaraz|Si tienes/);
    expect(optionIds(out).some((id) => id.startsWith('cond:'))).toBe(false);
  });

  it('tells a health worker they are a priority group, with no condition menu', async () => {
    const out = await c.send('el personal de salud es grupo prioritario?');
    expect(allText(out)).toMatch(/Para el personal de salud:\nEs grupo prioritario/);
    expect(allText(out)).toMatch(/✅ Influenza: personal de salud/);
    expect(optionIds(out).some((id) => id.startsWith('cond:'))).toBe(false);
  });

  it('a pregnant woman gets what applies now, what is left out in pregnancy, and the older season as history', async () => {
    const text = allText(await c.send('estoy embarazada de 12 semanas, que vacunas me tocan'));
    expect(text).toMatch(/✅ Influenza: en el embarazo/);
    expect(text).toMatch(/✅ COVID-19: en el embarazo/);
    expect(text).toMatch(/En el embarazo no se aplica: Neumococo/);
    expect(text).toMatch(/📋 VSR .*: se aplica desde la semana 28 \(campaña 2024-2025/);
    expect(text).toMatch(/📋 Tos ferina \(Tdpa\): se aplica entre las semanas 20 y 32/);
    expect(text).not.toMatch(/¿Cuántos años/);
  });

  it('a baby too young for a vaccine asked about hears from when it applies', async () => {
    const text = allText(await c.send('mi bebe tiene 4 meses, ya le pueden poner la de la influenza?'));
    expect(text).toMatch(/🕒 Influenza: se aplica desde los 6 meses/);
  });

  it('the optional question: a condition button refines the same answer', async () => {
    const first = await c.send('tengo 34 años me toca?');
    expect(optionIds(first)).toContain('cond:diabetes');
    const refined = await c.pick('cond:diabetes');
    expect(refined.intent).toBe('eligibility');
    expect(allText(refined)).toContain('Para ti (34 años, diabetes)');
    expect(allText(refined)).toMatch(/✅ Influenza: de 5 a 59 años con un factor de riesgo/);
  });

  it('asks the age only when it decides the answer, and takes a bare number as the answer', async () => {
    const first = await c.send('me toca vacuna?');
    expect(allText(first)).toMatch(/Quién debe vacunarse según la campaña 2025-2026/);
    expect(allText(first)).toMatch(/Si me dices la edad/);
    const age = await c.send('67');
    expect(age.intent).toBe('eligibility');
    expect(allText(age)).toMatch(/Para ti \(67 años\)/);
  });

  it('answers an emergency with 911 first, in the middle of a dialog', async () => {
    await c.send('me toca vacuna?');
    const out = await c.send('mi bebe tiene fiebre muy alta y no despierta');
    expect(out.intent).toBe('emergency');
    expect(allText(out).startsWith('🚨')).toBe(true);
    expect(allText(out)).toMatch(/911/);
  });

  it('keeps the person of the conversation after a restart on the same database', async () => {
    await c.send('mi mama tiene 75 años');
    await c.restart(dbPath);
    const out = await c.send('tambien tiene diabetes');
    expect(out.intent).toBe('eligibility');
    expect(allText(out)).toContain('Para tu mamá (75 años, diabetes)');
  });
});

describe('language', () => {
  it('keeps the session language for undecidable messages and pins an explicit choice', async () => {
    expect((await chat.send('hello')).lang).toBe('en');
    expect((await chat.send('ok')).lang).toBe('en');
    expect((await chat.send('menu')).lang).toBe('en');
    const switched = await chat.pick('lang:es');
    expect(switched.lang).toBe('es');
    expect(allText(switched)).toMatch(/español/);
    // pinned: an English word no longer flips it
    expect((await chat.send('thanks')).lang).toBe('es');
    expect((await chat.send('english please')).lang).toBe('en');
  });

  it('asks which language when none is named', async () => {
    const out = await chat.send('cambiar idioma');
    expect(out.intent).toBe('language');
    expect(optionIds(out)).toEqual(['lang:es', 'lang:en']);
  });
});

describe('hours and campaign dates', () => {
  it('tells whether the standing hours are open right now in Mexico City time', async () => {
    expect(allText(await chat.send('a que hora abren', '2025-01-15T19:59:00-06:00'))).toMatch(
      /cierra a las 20:00/,
    );
    expect(allText(await chat.send('a que hora abren', '2025-01-15T20:00:00-06:00'))).toMatch(
      /abre mañana a las 8:00/,
    );
    expect(allText(await chat.send('a que hora abren', '2025-01-17T21:00:00-06:00'))).toMatch(
      /abre el lunes a las 8:00/,
    );
    expect(allText(await chat.send('a que hora abren', '2025-01-15T07:59:00-06:00'))).toMatch(
      /abre hoy a las 8:00/,
    );
    // 14:00 UTC is 8:00 in Mexico City
    expect(allText(await chat.send('a que hora abren', '2025-01-15T14:00:00Z'))).toMatch(
      /miércoles 8:00.*cierra/,
    );
  });

  it('gives the season dates while it runs, and says honestly when the last season has ended', async () => {
    expect(allText(await chat.send('hasta cuando es la campaña', '2025-02-01T10:00:00-06:00'))).toMatch(
      /sigue hasta el 28 de marzo de 2025/,
    );
    const after = allText(await chat.send('hasta cuando es la campaña', '2026-11-23T10:00:00-06:00'));
    expect(after).toMatch(/Campaña de Vacunación Invernal 2025-2026\) terminó el 3 de abril de 2026/);
    expect(after).toMatch(/mediados de octubre/);
    expect(after).toMatch(/8:00 a 20:00/);
    const between = allText(await chat.send('hasta cuando es la campaña', '2025-07-01T10:00:00-06:00'));
    expect(between).toMatch(/empieza el 13 de octubre de 2025/);
    const inside = allText(await chat.send('hasta cuando es la campaña', '2025-11-20T10:00:00-06:00'));
    expect(inside).toMatch(/va del 13 de octubre de 2025 al 3 de abril de 2026/);
  });
});

describe('facility, faq, options and deep links', () => {
  it('asks for a location, then lists the 3 nearest units with hours, pins and the demo warning', async () => {
    expect(allText(await chat.send('donde me vacuno'))).toMatch(/ubicación o escribe tu código postal/);
    const out = await chat.location(19.36, -99.1);
    expect(out.intent).toBe('facility');
    expect(out.replies).toHaveLength(4);
    const [first, ...units] = out.replies;
    expect(first?.text).toMatch(/más cercanas a tu ubicación/);
    expect(first?.text).toMatch(/datos de ejemplo/);
    expect(first?.facilities).toHaveLength(3);
    expect(first?.facilities?.[0]).toMatchObject({ id: expect.stringMatching(/^DEMO/), open_now: true });
    expect(units[0]?.text).toMatch(/^🏥 .*\n.* · a \d+\.\d km\n🕗 Hoy: /);
    expect(units.map((u) => (u as { location?: unknown }).location)).toEqual([
      expect.objectContaining({ lat: expect.any(Number) }),
      expect.objectContaining({ lat: expect.any(Number) }),
      expect.objectContaining({ lat: expect.any(Number) }),
    ]);
    expect(allText(out)).toMatch(/horario general de la campaña/);
    expect(allText(out)).toMatch(/google\.com\/maps/);
  });

  it('answers in English too, and is honest about a postal code it cannot place', async () => {
    await chat.send('where can I get vaccinated?');
    const out = await chat.location(25.69, -100.32);
    expect(out.lang).toBe('en');
    expect(allText(out)).toMatch(/nearest units to your location/);
    expect(allText(out)).toMatch(/sample data/);
    const cp = await chat.send('my postal code is 00100');
    expect(cp.intent).toBe('facility');
    expect(allText(cp)).toMatch(/postal code 00100|00100/);
  });

  it('understands a typed place, accent- and typo-tolerant', async () => {
    const out = await chat.send('donde me vacuno? vivo en juchitan');
    expect(out.intent).toBe('facility');
    expect(out.replies[0]?.text).toMatch(/más cercanas a Juchitán de Zaragoza, Oaxaca/);
    expect(out.replies[1]?.text).toMatch(/Juchitán de Zaragoza, Oaxaca · a \d/);
    expect((await chat.send('estoy en iztapalpa')).replies[0]?.text).toMatch(/Iztapalapa/);
  });

  it('asks which place when a name is ambiguous, then answers the chosen one', async () => {
    const out = await chat.send('estoy en cuauhtemoc');
    expect(out.intent).toBe('facility');
    expect(allText(out)).toMatch(/varios lugares/);
    const ids = optionIds(out);
    expect(ids.length).toBeGreaterThan(1);
    expect(ids.every((id) => id.startsWith('place:'))).toBe(true);
    const chosen = await chat.pick(ids[0] as string);
    expect(chosen.intent).toBe('facility');
    expect(chosen.replies[0]?.facilities).toHaveLength(3);
  });

  it('without the SEPOMEX table, places a postal code by its state and says it is approximate', async () => {
    const out = await chat.send('mi codigo postal es 68000');
    expect(out.intent).toBe('facility');
    expect(out.replies[0]?.text).toMatch(/68000 solo sé que es de Oaxaca.*aproximadas/s);
    expect(out.replies[1]?.text).toMatch(/Oaxaca/);
  });

  it('answers an FAQ topic and lists topics page by page', async () => {
    expect(allText(await chat.send('es segura la vacuna?'))).toMatch(/segura/i);
    const list = await chat.pick('faq');
    expect(optionIds(list).filter((id) => id.startsWith('faq:') && !id.startsWith('faq:page'))).toHaveLength(
      6,
    );
    const page2 = await chat.pick('faq:page:2');
    expect(optionIds(page2)[0]).not.toBe(optionIds(list)[0]);
    const topic = await chat.pick(optionIds(list)[0] as string);
    expect(topic.intent).toBe('faq');
  });

  it('answers a stale or unknown option politely', async () => {
    const out = await chat.pick('cond:diabetes');
    expect(out.intent).toBe('unknown');
    expect(allText(out)).toMatch(/ya no está disponible/);
  });

  it('greets on a deep-link start and keeps the promoter code in the session', async () => {
    const out = await chat.start('PROMO-123');
    expect(out.intent).toBe('greeting');
    const row = chat.db.prepare('SELECT state FROM sessions').get() as { state: string };
    expect(JSON.parse(row.state).session.promoterCode).toBe('PROMO-123');
  });
});

describe('bad input', () => {
  it.each([
    ['not json', /invalid JSON/],
    ['{"text":"hola"}', /user/],
    ['{"user":"u","text":"hola","option":"menu"}', /exactly one/],
    ['{"user":"u","location":{"lat":200,"lon":0}}', /location\.lat/],
    ['{"user":"u","text":"hola","now":"yesterday"}', /now/],
  ])('%s gets an error line, and the run goes on', async (raw, error) => {
    expect((await chat.raw(raw)).error).toMatch(error);
    expect((await chat.send('hola')).intent).toBe('greeting');
  });
});
