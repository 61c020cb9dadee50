import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startLine } from '../../../src/channels/whatsapp/channel.js';
import { BROWSER_TAG, clientOptions } from '../../../src/channels/whatsapp/client.js';
import { Events, LocalAuth } from '../../../src/channels/whatsapp/wwebjs.js';
import { World } from './world.js';

describe('WhatsApp client options', () => {
  it('keeps the session with LocalAuth in WHATSAPP_SESSION_DIR and runs headless Chromium with server flags', () => {
    const options = clientOptions({
      PUPPETEER_EXECUTABLE_PATH: '/usr/bin/chromium',
      WHATSAPP_SESSION_DIR: 'var/whatsapp-session',
    });
    expect(options.authStrategy).toBeInstanceOf(LocalAuth);
    expect((options.authStrategy as unknown as { dataPath: string }).dataPath).toBe(
      resolve('var/whatsapp-session'),
    );
    expect(options.puppeteer).toMatchObject({
      executablePath: '/usr/bin/chromium',
      headless: true,
      handleSIGINT: false,
    });
    expect(options.puppeteer?.args).toEqual([
      '--no-sandbox',
      '--disable-setuid-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ]);
    // Each browser's processes carry a tag of their own, so that none escapes when it is ended.
    const env = options.puppeteer?.env as Record<string, string> | undefined;
    expect(env?.[BROWSER_TAG]).toMatch(/^[0-9a-f-]{36}$/);
    expect(env?.PATH).toBe(process.env.PATH);
    expect(options.webVersionCache).toEqual({
      type: 'local',
      path: join('var/whatsapp-session', 'web-cache'),
    });
  });
});

describe('WhatsApp pairing', () => {
  let world: World;
  beforeAll(async () => {
    world = new World();
    await world.start();
  });
  afterAll(() => world.close());

  it('draws the QR in the terminal and writes it as a PNG in the session folder, never logging it', async () => {
    const qr =
      '2@Xq3bP0zT9sV1mWc8Lr4kJ2hG6fD5aS,e8Yk1QpZ3rT7uV0wX2yA4bC6dE8fG0hI1jK3lM5nO7=,pQ9rS1tU3vW5xY7zA9bC1dE3fG5hI7jK9lM1nO3pQ5=,ADVsecretB64==,1';
    const file = join(world.config.WHATSAPP_SESSION_DIR, 'pairing-qr.png');
    // Before any QR: why the terminal chat is off and what it is waiting for.
    expect(world.logs[0]).toMatchObject({ msg: startLine(false), paired: false });
    expect(startLine(false)).toMatch(/terminal chat is off.*WhatsApp Web.*QR/);
    expect(startLine(true)).toMatch(/saved session/);
    world.client.emit(Events.QR_RECEIVED, qr);
    await vi.waitFor(() =>
      expect(world.logged('WhatsApp: scan the pairing QR (terminal or file)')).toHaveLength(1),
    );

    expect(readFileSync(file).subarray(1, 4).toString()).toBe('PNG');
    const drawn = world.qrOut.join('');
    expect(drawn).toContain('Linked devices');
    expect(drawn).toMatch(/[▀▄█]/);
    expect(JSON.stringify(world.logs)).not.toContain(qr.slice(2, 20));

    world.client.emit(Events.AUTHENTICATED);
    await vi.waitFor(() => expect(existsSync(file)).toBe(false));
    expect(world.logged('WhatsApp authenticated')).toHaveLength(1);
    expect(world.logged('WhatsApp ready')).toHaveLength(1);
  });
});
