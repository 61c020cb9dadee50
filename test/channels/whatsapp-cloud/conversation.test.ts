import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { said, World } from './world.js';

let world: World;
beforeEach(async () => {
  world = await new World().start();
});
afterEach(async () => {
  await world.stop();
});

/** A different Mexican mobile number (wa_id form, 521 + 10 digits) for each case. */
const number = (i: number) => `52155${String(10_000_000 + i)}`;

describe('the WhatsApp Cloud API channel answers like the other channels', () => {
  const cases: [string, RegExp][] = [
    ['hola buenas tardes', /Soy VacunaBot/],
    ['hello there', /I'm VacunaBot/],
    ['me toca la vacuna si tengo 67?', /67 años[\s\S]*Influenza[\s\S]*Neumococo/],
    ['am I eligible for the flu shot, im 70', /70[\s\S]*Influenza/],
    ['donde me puedo vacunar', /código postal/],
    ['where can i get my flu shot', /postal code/],
    ['a que ora abren', /8:00 a 20:00/],
    ['what are the opening hours', /8:00 to 20:00/],
    ['como evito enfermarme de gripa', /cubrebocas/],
    ['how can I avoid catching the flu', /face mask/],
    ['cuanto cuesta la vacuna', /gratuit/],
    ['how much does the vaccine cost', /free/],
    ['en ingles por favor', /write in English/],
    ['en español por favor', /en español/],
    ['mi papa no puede respirar', /^🚨 .{0,40}911/],
    ['my mom has chest pain and cant breathe', /^🚨 .{0,40}911/],
    ['muchas gracias', /Con gusto/],
    ['thank you so much', /welcome/],
    ['quien gano el partido del america', /solo respondo sobre/],
    ['give me a lasagna recipe', /I only answer about/],
  ];

  it.each(cases)('«%s»', async (text, expected) => {
    const sent = await world.ask(number(cases.findIndex(([t]) => t === text)), text);
    expect(said(sent)).toMatch(expected);
    // every message is a valid Cloud API send
    for (const s of sent) expect(s.body.messaging_product).toBe('whatsapp');
  });

  it("shows the 6-option menu as a list, in the person's language and within the limits", async () => {
    const es = await world.ask(number(100), 'hola');
    const list = es.at(-1)?.body.interactive;
    expect(list.type).toBe('list');
    expect(list.body.text).toMatch(/Soy VacunaBot/);
    expect(list.action.button).toBe('Ver opciones');
    expect(list.action.sections[0].title).toBe('Opciones');
    const rows = list.action.sections[0].rows;
    expect(rows.map((r: { id: string }) => r.id)).toEqual([
      'elig',
      'facility',
      'hours',
      'prevention',
      'faq',
      'lang:en',
    ]);
    for (const r of rows) expect([...r.title].length).toBeLessThanOrEqual(24);
    const en = await world.ask(number(101), 'hello');
    const enList = en.at(-1)?.body.interactive;
    expect(enList.action.button).toBe('See options');
    expect(enList.action.sections[0].rows[1].title).toBe('Where to get vaccinated');
  });

  it('shows 3 options as reply buttons with titles of at most 20 characters', async () => {
    const sent = await world.ask(number(102), 'me toca la vacuna si tengo 67?');
    const buttons = sent.at(-1)?.body.interactive;
    expect(buttons.type).toBe('button');
    expect(buttons.action.buttons.map((b: any) => b.reply.id)).toEqual(['facility', 'hours', 'elig:new']);
    for (const b of buttons.action.buttons) expect([...b.reply.title].length).toBeLessThanOrEqual(20);
  });

  it('answers a pressed list row and a pressed button by their option ids', async () => {
    const from = number(103);
    await world.ask(from, 'hola');
    const row = await world.exchange(from, {
      type: 'interactive',
      interactive: { type: 'list_reply', list_reply: { id: 'hours', title: 'Horarios y fechas' } },
    });
    expect(said(row)).toMatch(/8:00 a 20:00/);
    await world.ask(from, 'me toca la vacuna si tengo 67?');
    const button = await world.exchange(from, {
      type: 'interactive',
      interactive: { type: 'button_reply', button_reply: { id: 'facility', title: '¿Dónde me vacuno?' } },
    });
    expect(said(button)).toMatch(/código postal/);
  });

  it('reads a typed number against the options shown', async () => {
    const from = number(104);
    await world.ask(from, 'hola');
    expect(said(await world.ask(from, '3'))).toMatch(/8:00 a 20:00/);
  });

  it('offers the "send location" request when it asks where the person is', async () => {
    const sent = await world.ask(number(105), 'donde me puedo vacunar');
    const request = sent.at(-1)?.body as Record<string, any>;
    expect(request.type).toBe('interactive');
    expect(request.interactive.type).toBe('location_request_message');
    expect(request.interactive.action).toEqual({ name: 'send_location' });
    expect(request.interactive.body.text).toMatch(/ubicación|código postal/);
  });

  it('answers a location with the nearest units, each followed by its pin', async () => {
    const sent = await world.exchange(number(106), {
      type: 'location',
      location: { latitude: 19.35, longitude: -99.16 },
    });
    expect(said(sent)).toMatch(/unidades más cercanas/);
    expect(said(sent)).toMatch(/a 0\.2 km/);
    const pins = sent.filter((s) => s.type === 'location').map((s) => s.body.location);
    expect(pins).toHaveLength(3);
    expect(pins[0]).toEqual({
      latitude: 19.35,
      longitude: -99.162,
      name: 'Unidad de ejemplo 2 (demo, CDMX)',
      address: 'Coyoacán, Ciudad de México',
    });
    // each pin comes right after the text about its unit
    const first = sent.findIndex((s) => s.type === 'location');
    expect(said([sent[first - 1] as (typeof sent)[number]])).toMatch(/Unidad de ejemplo 2/);
    // texts with a map link ask for a preview, others do not
    const texts = sent.filter((s) => s.type === 'text');
    expect(texts.some((s) => s.body.text.preview_url === true && /https:\/\//.test(s.body.text.body))).toBe(
      true,
    );
    expect(
      texts
        .filter((s) => !/https?:\/\//.test(s.body.text.body))
        .every((s) => s.body.text.preview_url === false),
    ).toBe(true);
  });

  it.each([
    ['image', { type: 'image', image: { id: 'media-1', mime_type: 'image/jpeg' } }],
    ['voice note', { type: 'audio', audio: { id: 'media-2', voice: true } }],
    ['sticker', { type: 'sticker', sticker: { id: 'media-3' } }],
    ['contact card', { type: 'contacts', contacts: [{ name: { formatted_name: 'Ana' } }] }],
    ['reaction', { type: 'reaction', reaction: { message_id: 'wamid.x', emoji: '👍' } }],
    ['document', { type: 'document', document: { id: 'media-4', filename: 'receta.pdf' } }],
  ])('answers a %s politely with "text and locations"', async (_what, content) => {
    const sent = await world.exchange(number(107), content);
    expect(said(sent)).toMatch(/solo leo texto y ubicaciones/);
  });

  it('records a promoter code from a click-to-chat draft and a Click-to-WhatsApp ad referral', async () => {
    const promoted = await world.ask(number(108), 'Hola VacunaBot, código PROMO-1');
    expect(said(promoted)).toMatch(/Soy VacunaBot/);
    const ad = await world.exchange(number(109), {
      type: 'text',
      text: { body: 'Hola, a que hora abren?' },
      referral: { source_id: '120208812345678901', source_type: 'ad', source_url: 'https://fb.me/x' },
    });
    // the referral is recorded and the question is still answered
    expect(said(ad)).toMatch(/8:00 a 20:00/);
    await world.app.stats.flush();
    const codes = world.app.db.prepare('SELECT * FROM referrals').all() as Record<string, unknown>[];
    const text = JSON.stringify(codes);
    expect(text).toMatch(/PROMO-1/);
    expect(text).toMatch(/AD1-[A-Z]+/);
  });

  it('splits a text over 4096 characters at line breaks', async () => {
    const { renderReplies } = await import('../../../src/channels/whatsapp-cloud/render.js');
    const long = Array.from({ length: 300 }, (_, i) => `Línea ${i}: ${'x'.repeat(20)}`).join('\n');
    const out = renderReplies([{ text: long }], () => ({ choose: '', listButton: '', listSection: '' }));
    expect(out.length).toBeGreaterThan(1);
    for (const m of out) {
      expect(m.type).toBe('text');
      if (m.type === 'text') expect(m.text.body.length).toBeLessThanOrEqual(4096);
    }
    expect(out.map((m) => (m.type === 'text' ? m.text.body : '')).join('\n')).toBe(long);
  });
});
