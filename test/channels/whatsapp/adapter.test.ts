import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatTagger } from '../../../src/channels/whatsapp/privacy.js';
import { Location } from '../../../src/channels/whatsapp/wwebjs.js';
import { GROUP, inGroup, LID_PERSON, location, media, own, PERSON, status, text } from './fixtures.js';
import { translate, World } from './world.js';

const tag = chatTagger('test-salt-0123456789abcdef');
let next = 0;
/** A chat nobody has used yet in this file. */
const freshChat = () => `52155555502${String(next++).padStart(2, '0')}@c.us`;

let world: World;
beforeAll(async () => {
  world = new World();
  await world.start();
});
afterAll(() => world.close());

/** The intents the engine answered for a chat, from the channel's own debug log. */
const intents = (chat: string) =>
  world
    .logged('answered')
    .filter((l) => l.chat === tag(chat))
    .map((l) => `${l.intent}/${l.lang}`);

describe('WhatsApp adapter: messages in, replies out, with the real engine', () => {
  it.each([
    ['greeting', 'es', 'hola', 'es'],
    ['help', 'es', 'ayuda', 'es'],
    ['eligibility', 'es', 'me toca vacuna?', 'es'],
    ['facility', 'es', 'donde me vacuno', 'es'],
    ['hours', 'es', 'a que hora abren', 'es'],
    ['prevention', 'es', 'como evito enfermarme', 'es'],
    ['faq', 'es', 'cuanto cuesta la vacuna', 'es'],
    ['language', 'es', 'en ingles por favor', 'en'],
    ['emergency', 'es', 'no puedo respirar', 'es'],
    ['thanks', 'es', 'gracias', 'es'],
    ['unknown', 'es', 'quien gano el partido de futbol', 'es'],
    ['greeting', 'en', 'hello', 'en'],
    ['help', 'en', 'help', 'en'],
    ['eligibility', 'en', 'should I get vaccinated?', 'en'],
    ['facility', 'en', 'where can I get vaccinated', 'en'],
    ['hours', 'en', 'what time do you open', 'en'],
    ['prevention', 'en', 'how can I avoid getting sick', 'en'],
    ['faq', 'en', 'how much does the vaccine cost', 'en'],
    ['language', 'en', 'spanish please', 'es'],
    ['emergency', 'en', "I can't breathe", 'en'],
    ['thanks', 'en', 'thank you', 'en'],
    ['unknown', 'en', 'who won the football game', 'en'],
  ])('answers the %s intent written in %s ("%s")', async (intent, _written, body, answerLang) => {
    const chat = freshChat();
    const sent = await world.say(chat, body, text);
    expect(intents(chat)).toEqual([`${intent}/${answerLang}`]);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((s) => s.length > 0)).toBe(true);
  });

  it('shows the options as a numbered list and reads a number, a number word or a label word', async () => {
    const a = freshChat();
    const [greeting] = await world.say(a, 'hola', text);
    expect(greeting).toContain(
      `${translate('es')('greeting.text')}\n\n1. ¿Me toca vacuna?\n2. ¿Dónde me vacuno?\n3. Horarios y fechas`,
    );
    await world.say(a, '1', text);
    expect(intents(a)).toEqual(['greeting/es', 'eligibility/es']);

    const b = freshChat();
    await world.say(b, 'hola', text);
    await world.say(b, 'uno', text);
    expect(intents(b)).toEqual(['greeting/es', 'eligibility/es']);

    const c = freshChat();
    await world.say(c, 'hola', text);
    await world.say(c, 'horarios', text);
    expect(intents(c)).toEqual(['greeting/es', 'hours/es']);

    const d = freshChat();
    await world.say(d, 'hello', text);
    await world.say(d, 'two', text);
    expect(intents(d)).toEqual(['greeting/en', 'facility/en']);
  });

  it('answers a location with each unit as text followed by its pin, then the menu', async () => {
    const chat = freshChat();
    world.receive(location(chat, 19.35, -99.16));
    await world.settle();
    const sent = world.web.sentTo(chat);
    const pins = sent.filter((s) => s.location);
    expect(pins).toHaveLength(3);
    for (const pin of pins) {
      expect(pin.location).toBeInstanceOf(Location);
      // Each pin right after the text about its unit.
      const before = sent[sent.indexOf(pin) - 1];
      expect(before?.location).toBeUndefined();
      expect(before?.content).toContain(pin.location?.name);
    }
    expect(pins[0]?.location).toMatchObject({
      latitude: 19.35,
      longitude: -99.162,
      name: 'Unidad de ejemplo 2 (demo, CDMX)',
    });
    expect(pins[0]?.location?.address).toBeTruthy();
    expect(sent.at(-1)?.content).toBe('1. ¿Me toca vacuna?\n2. Horarios y fechas\n3. Cómo prevenir');
    // The menu after the pins answers by number too.
    await world.say(chat, '2', text);
    expect(intents(chat)).toEqual(['facility/es', 'hours/es']);
  });

  it('records the promoter code of a click-to-chat first message in the session', async () => {
    const chat = freshChat();
    const sent = await world.say(chat, 'Hola VacunaBot, código PROMO-123', text);
    expect(intents(chat)).toEqual(['greeting/es']);
    expect(sent[0]).toContain(translate('es')('greeting.text'));
    expect(world.sessionStates().filter((s) => s.promoterCode === 'PROMO-123')).toHaveLength(1);
  });

  it('answers what follows the promoter code when it is more than a greeting', async () => {
    const chat = freshChat();
    const sent = await world.say(chat, 'Hola, codigo: BRIGADA_7 ¿dónde me vacuno?', text);
    // One message, answered as the start (the greeting) then the question: the answer's intent is the question's.
    expect(intents(chat)).toEqual(['facility/es']);
    // The greeting comes without its menu: only the last answer's options are current.
    expect(sent[0]).toBe(translate('es')('greeting.text'));
    expect(world.sessionStates().some((s) => s.promoterCode === 'BRIGADA_7')).toBe(true);
  });

  it('does not take "código postal" for a promoter code', async () => {
    const chat = freshChat();
    await world.say(chat, 'mi codigo postal es 04510', text);
    expect(intents(chat)).toEqual(['facility/es']);
    expect(
      world
        .sessionStates()
        .some(
          (s) =>
            s.promoterCode !== undefined && s.promoterCode !== 'PROMO-123' && s.promoterCode !== 'BRIGADA_7',
        ),
    ).toBe(false);
  });

  it('ignores groups, status updates, channels, system notices and its own messages', async () => {
    const rows = world.sessionStates().length;
    const sends = world.web.sent.length;
    world.receive(inGroup('hola bot, me toca vacuna?'));
    world.receive(status('vacunándome hoy 💉'));
    world.receive(own(PERSON, 'hola'));
    world.receive(text('120363025246125486@newsletter', 'hola'));
    world.receive(text(freshChat(), '', { type: 'e2e_notification' }));
    world.receive(text(freshChat(), '', { type: 'revoked' }));
    await world.settle();
    expect(world.web.sent.length).toBe(sends);
    expect(world.web.sentTo(GROUP)).toEqual([]);
    expect(world.sessionStates().length).toBe(rows);
  });

  it.each(['image', 'video', 'ptt', 'audio', 'sticker', 'document'] as const)(
    'answers a %s with the polite "text and locations" message',
    async (type) => {
      const chat = freshChat();
      world.receive(media(chat, type));
      await world.settle();
      expect(world.web.sentTo(chat).map((s) => s.content)).toEqual([
        'Por ahora solo leo texto y ubicaciones 📍. Escríbeme tu pregunta o envía tu ubicación.',
      ]);
    },
  );

  it('answers a voice note in the language the person was last answered in', async () => {
    const chat = freshChat();
    await world.say(chat, 'hello', text);
    world.receive(media(chat, 'ptt'));
    await world.settle();
    expect(world.web.sentTo(chat).at(-1)?.content).toBe(
      'For now I read only text and locations 📍. Type your question or send your location.',
    );
    // The menu offered before the voice note is still answerable.
    await world.say(chat, '3', text);
    expect(intents(chat)).toEqual(['greeting/en', 'hours/en']);
  });

  it('answers a message delivered twice only once', async () => {
    const chat = freshChat();
    const raw = text(chat, 'hola');
    world.receive(raw);
    world.receive(raw);
    await world.settle();
    expect(world.web.sentTo(chat)).toHaveLength(1);
  });

  it('answers people whose chat id is a privacy id (@lid) like any other', async () => {
    const sent = await world.say(LID_PERSON, 'donde me vacuno', text);
    expect(sent.length).toBeGreaterThan(0);
    expect(intents(LID_PERSON)).toEqual(['facility/es']);
  });

  it('retries a send the browser lost and drops one WhatsApp Web refuses, logging no content', async () => {
    const chat = freshChat();
    const lost = Object.assign(new Error('Protocol error (Runtime.callFunctionOn): Session closed.'), {
      name: 'ProtocolError',
    });
    world.web.failNext(lost);
    expect(await world.say(chat, 'gracias', text)).toHaveLength(1);

    const refused = new Error(`Evaluation failed: Error: Lid is missing in chat table ${chat}`);
    world.web.failNext(refused);
    expect(await world.say(chat, 'gracias', text)).toHaveLength(0);
    const [dropped] = world.logged('a WhatsApp reply was given up');
    expect(dropped).toMatchObject({ chat: tag(chat), failure: 'fatal' });
    expect(JSON.stringify(dropped)).not.toContain('5215555');
  });

  it('never logs a phone number, a chat id or message text', () => {
    const all = world.logs.map((l) => JSON.stringify(l)).join('\n');
    expect(world.logs.length).toBeGreaterThan(20);
    expect(all).not.toMatch(/5215555|187743260278894|@c\.us|@lid|@g\.us/);
    for (const words of ['hola', 'PROMO-123', 'donde me vacuno', 'respirar', '04510']) {
      expect(all).not.toContain(words);
    }
  });
});
