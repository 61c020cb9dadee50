import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Events } from '../../../src/channels/whatsapp/wwebjs.js';
import { GROUP, inGroup, LID_PERSON, own, PERSON, text } from './fixtures.js';
import { World } from './world.js';

/**
 * While the bot was down, WhatsApp kept delivering to the phone: on 'ready' the linked browser
 * shows those chats as unread, and whatsapp-web.js emits no 'message' for them.
 */
let world: World;
const old = text(PERSON, 'hola');
const a1 = text(PERSON, 'a que hora abren');
const a2 = text(PERSON, 'gracias');
const b1 = text(LID_PERSON, 'donde me vacuno');
const read = '5215555550199@c.us';

beforeAll(() => {
  world = new World({ holdReady: true });
  const web = world.web;
  // PERSON: an old conversation (read, answered), then two unread messages.
  web.addChat(PERSON, [old, own(PERSON, '¡Hola! 👋 Soy VacunaBot.'), a1, a2], 2);
  web.addChat(LID_PERSON, [b1], 1);
  web.addChat(GROUP, [inGroup('alguien sabe donde vacunan?')], 1);
  web.addChat(read, [text(read, 'hola')], 0);
});
afterAll(() => world.close());

describe('WhatsApp unread backlog', () => {
  it("answers each unread private message once on 'ready', also one that arrived live too, and marks the chats seen", async () => {
    const started = world.start();
    // a1 also arrives live while the client is still connecting: it must be answered once.
    await new Promise((resolve) => setImmediate(resolve));
    world.receive(a1);
    world.ready();
    await started;
    await world.settle();

    expect(world.web.sentTo(PERSON).map((s) => Array.from(s.content)[0])).toEqual(['🕗', '¡']);
    expect(world.web.sentTo(LID_PERSON).length).toBeGreaterThan(0);
    expect(world.web.sentTo(GROUP)).toEqual([]);
    expect(world.web.sentTo(read)).toEqual([]);
    // The live message marks its chat read too, once its answer is stored.
    expect([...new Set(world.web.seenChats)].sort()).toEqual([LID_PERSON, PERSON].sort());
    expect(world.logged('answered messages that arrived while offline').at(-1)).toMatchObject({
      chats: 2,
      answered: 2,
    });
  });

  it("answers nothing twice when 'ready' comes again (a reconnect)", async () => {
    const before = world.web.sent.length;
    world.web.addChat(PERSON, [old, a1, a2], 2); // still shown unread: seen did not sync
    world.client.emit(Events.READY);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await world.settle();
    expect(world.web.sent.length).toBe(before);
  });
});
