import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/open.js';
import { importClues } from '../../src/facilities/import/clues.js';
import { allText, buildApp, Chat, type LineOut, memoryApp, tempDir } from '../harness.js';

/**
 * Whole conversations through the console channel's JSONL contract: context across turns, who the
 * question is about, corrections, expiry after a silence, language, red flags, seasons and places.
 */
let tmp: ReturnType<typeof tempDir>;
let chat: Chat;
let n = 0;
const TODAY = '2026-12-04T10:30:00-06:00';
/** A time this many minutes after TODAY, as the JSONL `now`. */
const at = (minutes: number) => new Date(Date.parse(TODAY) + minutes * 60_000).toISOString();

beforeEach(async () => {
  tmp = tempDir();
  // The engine's conversations need no database: sessions in memory (the store contract is tested on each store).
  chat = new Chat(memoryApp(), `person-${++n}`, TODAY);
});
afterEach(async () => {
  await chat.close();
  tmp.cleanup();
});

const says = (out: LineOut) => allText(out);

describe('short follow-ups lean on the last turn', () => {
  it('another day after an hours answer', async () => {
    await chat.send('a que hora abren');
    const out = await chat.send('y el sabado?');
    expect(out.intent).toBe('hours');
    expect(says(out)).toMatch(/El sábado la mayoría de las unidades no abre/);
    expect(says(out)).toMatch(/tiempo completo también abren en fin de semana/);
    const tomorrow = await chat.send('y mañana?');
    expect(says(tomorrow)).toMatch(/Mañana \(sábado\)/);
  });

  it('another vaccine after an eligibility answer, for the same person', async () => {
    await chat.send('mi papa tiene 70 años');
    const out = await chat.send('y la de covid?');
    expect(out.intent).toBe('eligibility');
    expect(says(out)).toMatch(/^Para tu papá \(70 años\):\n✅ COVID-19/);
    expect(says(out)).toMatch(/También le tocan: Influenza y Neumococo/);
  });

  it('a condition added after the age: the age is not asked again', async () => {
    await chat.send('mi mama tiene 58');
    const out = await chat.send('tambien tiene diabetes');
    expect(out.intent).toBe('eligibility');
    expect(says(out)).toContain('Para tu mamá (58 años, diabetes)');
    expect(says(out)).toMatch(/✅ Influenza/);
    expect(says(out)).not.toMatch(/¿Cuántos años/);
  });

  it('"¿y dónde?" after an eligibility answer asks for the place', async () => {
    await chat.send('tengo 67');
    const out = await chat.send('y donde me la pongo?');
    expect(out.intent).toBe('facility');
  });
});

describe('corrections', () => {
  it('"no perdón, tengo 52" replaces the age and the answer', async () => {
    await chat.send('tengo 25 años');
    const out = await chat.send('no perdon, tengo 52');
    expect(says(out)).toContain('Para ti (52 años)');
    expect(says(out)).not.toContain('25 años');
  });

  it('"me equivoqué, son 7 meses" corrects the person of the conversation', async () => {
    await chat.send('mi bebe tiene 7 años le toca la de la influenza?');
    const out = await chat.send('me equivoque son 7 meses no 7 años');
    expect(says(out)).toContain('Para tu bebé (7 meses)');
    expect(says(out)).toMatch(/✅ Influenza: de 6 meses a 4 años/);
  });

  it('"no perdón, son 28" after the weeks of pregnancy corrects the weeks, not an age', async () => {
    await chat.send('tengo 20 semanas de embarazo que vacunas me tocan');
    const out = await chat.send('no perdon son 28');
    expect(says(out)).toContain('Para ti (embarazo de 28 semanas)');
    expect(says(out)).not.toMatch(/28 años/);
    // Once the age is known, a bare number is an age again.
    await chat.send('tengo 31 años');
    expect(says(await chat.send('no perdon, tengo 33'))).toMatch(/33 años, embarazo de 28 semanas/);
  });
});

describe('a second person in the same chat', () => {
  it('starts a second profile without losing the first', async () => {
    await chat.send('tengo 67 y soy diabetico');
    const second = await chat.send('y mi suegro de 72?');
    expect(says(second)).toMatch(/^Para tu suegro \(72 años\):/);
    const back = await chat.send('y yo?');
    expect(says(back)).toMatch(/^Para ti \(67 años, diabetes\):/);
  });

  it('answers two people named in one message', async () => {
    const out = await chat.send('tengo 35 y mi hijo tiene 4 años, nos toca?');
    expect(out.replies.map((r) => r.text.split('\n')[0])).toEqual([
      'Para ti (35 años):',
      'Para tu hijo (4 años):',
    ]);
  });
});

describe('context and open questions expire after 30 minutes of silence', () => {
  it('a bare number within the half hour answers the question; two hours later it does not', async () => {
    await chat.send('me toca vacuna?', at(0));
    expect((await chat.send('45', at(10))).intent).toBe('eligibility');

    await chat.send('me toca vacuna?', at(20));
    const late = await chat.send('45', at(140));
    expect(late.intent).not.toBe('eligibility');
  });

  it("judges the silence on the messages' own times", async () => {
    await chat.send('a que hora abren', at(0));
    expect((await chat.send('y el sabado?', at(29))).intent).toBe('hours');
    await chat.send('mi mama tiene 75', at(30));
    expect(says(await chat.send('tambien tiene diabetes', at(61)))).not.toContain('75 años');
  });

  it('a "sí" that answers nothing gets the menu, not a greeting', async () => {
    const out = await chat.send('si', at(200));
    expect(out.intent).toBe('unknown');
  });
});

describe('red flags in any state', () => {
  it("a fever told after the baby's age was given is a red flag", async () => {
    await chat.send('mi bebe tiene 6 semanas, que vacunas le tocan?');
    const out = await chat.send('le puse el termometro y marca 38,6');
    expect(out.intent).toBe('emergency');
    expect(says(out)).toMatch(/^🚨 .*911/);
  });

  it('a bare "tiene 39" about the baby of the last turns is her temperature, not an age of 39', async () => {
    await chat.send('mi bebe de 2 meses');
    const out = await chat.send('tiene 39');
    expect(out.intent).toBe('emergency');
    expect(says(out)).toMatch(/^🚨 .*911/);
    expect(says(out)).not.toMatch(/39 años/);
    // an adult of 39 is still an age
    const other = new Chat(memoryApp(), 'adult-39', TODAY);
    await other.send('mi esposa me pregunta si le toca');
    expect((await other.send('tiene 39')).intent).toBe('eligibility');
    await other.close();
  });

  it('thoughts of suicide get 911 first and the national crisis line', async () => {
    await chat.send('me toca vacuna?');
    const out = await chat.send('la verdad ya no quiero vivir');
    expect(out.intent).toBe('emergency');
    expect(says(out)).toMatch(/^🚨 .*911/);
    expect(says(out)).toMatch(/800 911 2000/);
  });

  it('a short follow-up naming a vaccine is never an emergency', async () => {
    await chat.send('mi esposa tiene 58');
    expect((await chat.send('y la de neumococo?')).intent).toBe('eligibility');
    expect((await chat.send('y mi esposa?')).intent).not.toBe('emergency');
  });
});

describe('language', () => {
  it('answers in the language asked for, even when another is named in passing', async () => {
    const out = await chat.send('contestame en ingles, se lo voy a reenviar a mi cuñado que no lee español');
    expect(out.lang).toBe('en');
    expect((await chat.send('where do I get vaccinated')).lang).toBe('en');
  });

  it('a chosen language yields when the person clearly writes in the other one, or says they do not understand it', async () => {
    await chat.send('english please');
    expect((await chat.send('ok')).lang).toBe('en');
    expect((await chat.send('donde me vacuno? no entiendo ingles')).lang).toBe('es');
    await chat.send('english please');
    expect(
      (await chat.send('oiga disculpe cuales vacunas le tocan a mi mama que tiene setenta años')).lang,
    ).toBe('es');
  });
});

describe('several asks in one message', () => {
  it('answers both', async () => {
    const out = await chat.send('tengo 67, me toca y a que hora abren?');
    expect(out.intent).toBe('eligibility');
    expect(says(out)).toMatch(/Para ti \(67 años\)/);
    expect(says(out)).toMatch(/de 8:00 a 20:00/);
  });
});

describe('places', () => {
  it('says first that no unit near the place is loaded, then the nearest with its distance', async () => {
    const out = await chat.send('estoy en cancun, donde me vacuno?');
    expect(out.intent).toBe('facility');
    expect(out.replies[0]?.text).toMatch(
      /^📍 No tengo en mi catálogo ninguna unidad cerca de Cancún.*: la más cercana que tengo está a \d+\.\d km/,
    );
    expect(out.replies[0]?.text).toMatch(/UMF donde estás afiliado/);
    expect(out.replies[0]?.facilities).toHaveLength(1);
  });

  it('with a real catalogue of one city, a far city is told so, not listed as near', async () => {
    const dbPath = `${tmp.dir}/catalogue.db`;
    const db = openDb(dbPath);
    await importClues(db, 'test/fixtures/clues/clues_imss_muestra_202604.csv');
    db.close();
    const other = new Chat(buildApp(dbPath), 'catalogue-user', TODAY);
    try {
      const out = await other.send('estoy en monterrey');
      expect(out.replies[0]?.text).toMatch(/No tengo en mi catálogo ninguna unidad cerca de Monterrey/);
      expect(out.replies[0]?.text).not.toMatch(/datos de ejemplo/);
      const near = await other.send('estoy en benito juarez cdmx');
      expect(near.replies[0]?.text).toMatch(/^📍 Las unidades más cercanas/);
    } finally {
      await other.close();
    }
  });

  it('lists only near units when some are near', async () => {
    const out = await chat.send('estoy en monterrey');
    const units = out.replies[0]?.facilities as { distance_km: number }[];
    expect(units.length).toBeGreaterThan(0);
    expect(units.every((u) => u.distance_km <= 50)).toBe(true);
  });

  it('does not look up a place named in an out-of-scope question', async () => {
    const out = await chat.send('a que hora cierra el walmart de iztapalapa');
    expect(out.intent).toBe('unknown');
    expect(out.replies.some((r) => r.facilities)).toBe(false);
  });
});

describe('seasons with their own rules', () => {
  it('inside 2024–2025: its rules, no season note', async () => {
    const out = await chat.send(
      'estoy embarazada de 30 semanas, que vacunas me tocan',
      '2025-01-15T10:00:00-06:00',
    );
    expect(says(out)).toMatch(/✅ VSR .*: embarazo desde la semana 28/);
    expect(says(out)).not.toMatch(/Según la campaña/);
  });

  it('inside 2025–2026: its rules, no season note', async () => {
    const out = await chat.send('tengo 3 años de edad, bueno mi hijo, le toca?', '2025-11-20T10:00:00-06:00');
    expect(says(out)).toMatch(/Influenza: de 6 meses a 4 años/);
    expect(says(out)).not.toMatch(/Según la campaña/);
  });

  it("between seasons: the coming season's rules and when it starts", async () => {
    const out = await chat.send('tengo 67', '2025-07-01T10:00:00-06:00');
    expect(says(out)).toMatch(/Según la campaña 2025-2026, que empieza el 13 de octubre de 2025/);
  });

  it("past every season: the newest season's rules, said in one line", async () => {
    const out = await chat.send('tengo 67');
    expect(says(out)).toMatch(
      /Según la campaña 2025-2026; las fechas de la temporada actual aún no están cargadas: confírmalo en tu UMF/,
    );
  });
});
