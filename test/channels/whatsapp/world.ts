import { join } from 'node:path';
import pino from 'pino';
import { vi } from 'vitest';
import type { App } from '../../../src/app.js';
import { WhatsAppChannel, type WhatsAppConfig } from '../../../src/channels/whatsapp/channel.js';
import { createClient } from '../../../src/channels/whatsapp/client.js';
import { type Client, Events } from '../../../src/channels/whatsapp/wwebjs.js';
import { createTranslator } from '../../../src/core/i18n.js';
import type { ChannelLimits } from '../../../src/outbound/scheduler.js';
import { buildApp, tempDir } from '../../harness.js';
import { FakeWeb, Message, type RawMessage } from './fake-web.js';
import { BOT } from './fixtures.js';

export interface LogRecord {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** Replies go out as fast as the test runs, unless a test is about pacing. */
export const FAST: Partial<ChannelLimits> = {
  perChatPerSecond: 1_000,
  perChatBurst: 1_000,
  globalPerSecond: 1_000,
  backoffMs: 5,
};

export const translate = createTranslator('locales');

/**
 * The WhatsApp channel as it runs, with everything real but the browser: the real engine
 * (SQLite, i18next, NLU), the real runner, the real WhatsAppChannel with its supervisor and the send port, and a
 * real whatsapp-web.js Client, built by our own client options and never initialised. Two
 * browser-bound pieces are replaced: `client.pupPage` (FakeWeb: the WhatsApp Web page) and
 * `client.initialize` (which would launch Chromium and load WhatsApp Web; here it emits 'ready').
 */
export class World {
  readonly app: App;
  readonly web: FakeWeb;
  readonly client: Client;
  readonly channel: WhatsAppChannel;
  readonly logs: LogRecord[] = [];
  readonly config: WhatsAppConfig;
  readonly qrOut: string[] = [];
  private readonly tmp = tempDir();
  private releaseReady: () => void = () => {};

  constructor(
    options: {
      limits?: Partial<ChannelLimits>;
      latency?: () => number;
      holdReady?: boolean;
      adminIds?: string[];
    } = {},
  ) {
    this.app = buildApp(join(this.tmp.dir, 'bot.db'), options.adminIds);
    this.config = {
      PUPPETEER_EXECUTABLE_PATH: '/usr/bin/chromium',
      WHATSAPP_SESSION_DIR: join(this.tmp.dir, 'whatsapp-session'),
      WHATSAPP_GLOBAL_PER_SECOND: 5,
      DEFAULT_LANG: 'es',
      HASH_SALT: 'test-salt-0123456789abcdef',
    };
    this.web = new FakeWeb(BOT, options.latency);
    this.client = createClient(this.config);
    this.client.pupPage = this.web.page as unknown as Client['pupPage'];
    const gate = new Promise<void>((resolve) => {
      this.releaseReady = resolve;
    });
    if (!options.holdReady) this.releaseReady();
    this.client.initialize = async () => {
      await gate;
      setImmediate(() => this.client.emit(Events.READY));
    };
    const log = pino(
      { level: 'debug', base: undefined },
      { write: (line: string) => this.logs.push(JSON.parse(line) as LogRecord) },
    );
    const qrOut = { write: (chunk: string) => this.qrOut.push(chunk) } as unknown as NodeJS.WritableStream;
    let created = 0;
    this.channel = new WhatsAppChannel(
      { runner: this.app.runner, outbound: this.app.outbound, translate },
      this.config,
      log,
      {
        limits: options.limits ?? FAST,
        qrOut,
        createClient: () => {
          if (created++ > 0) throw new Error('this world has one client');
          return this.client;
        },
      },
    );
  }

  /** Starts the channel; resolves once 'ready' was handled and the unread backlog answered. */
  async start(): Promise<void> {
    await this.channel.start();
    await vi.waitFor(() => {
      if (this.logged('answered messages that arrived while offline').length === 0)
        throw new Error('not ready yet');
    });
  }

  /** Lets a world built with `holdReady` become ready. */
  ready(): void {
    this.releaseReady();
  }

  /** A message arriving, as whatsapp-web.js emits it: a real Message built from the raw model. */
  receive(raw: RawMessage): void {
    this.client.emit(Events.MESSAGE_RECEIVED, new Message(this.client, raw));
  }

  /** Waits until every message received so far is decided and every queued reply sent (or given up). */
  async settle(): Promise<void> {
    // A message event is handled on a later turn of the event loop (whatsapp-web.js emits, we answer asynchronously).
    await new Promise((resolve) => setImmediate(resolve));
    await this.app.runner.idle();
    await this.app.outbound.drain();
  }

  /** Sends a text from `from` and returns the texts sent back. */
  async say(from: string, body: string, raw: (from: string, body: string) => RawMessage): Promise<string[]> {
    const before = this.web.sentTo(from).length;
    this.receive(raw(from, body));
    await this.settle();
    return this.web
      .sentTo(from)
      .slice(before)
      .map((s) => s.content);
  }

  logged(msg: string): LogRecord[] {
    return this.logs.filter((l) => l.msg === msg);
  }

  /** The sessions stored (each chat record's session), pending writes flushed first. */
  sessionStates(): Record<string, unknown>[] {
    void this.app.sessions.flush(); // SQLite writes at once
    return this.app.db
      .prepare<[], { state: string }>('SELECT state FROM sessions')
      .all()
      .map((r) => (JSON.parse(r.state) as { session: Record<string, unknown> }).session);
  }

  async close(): Promise<void> {
    await this.channel.stop();
    await this.app.close();
    this.tmp.cleanup();
  }
}
