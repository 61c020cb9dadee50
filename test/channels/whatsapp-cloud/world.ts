import { createHmac } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import type { App } from '../../../src/app.js';
import { chatTagger } from '../../../src/channels/whatsapp/privacy.js';
import { CloudChannel, type CloudOptions } from '../../../src/channels/whatsapp-cloud/channel.js';
import { createTranslator } from '../../../src/core/i18n.js';
import { HttpHost } from '../../../src/http/host.js';
import { buildApp, TEST_SALT, tempDir } from '../../harness.js';
import { FakeGraphApi, PHONE_ID, type Sent, TOKEN } from './fake-graph.js';

export const APP_SECRET = 'test-app-secret-0123456789abcdef';
export const VERIFY_TOKEN = 'vacuna-verify-token';
/** Real pacing (1 message / 6 s per person) would make these tests take minutes; scheduler.test.ts tests pacing. */
export const FAST = {
  perChatPerSecond: 1000,
  perChatBurst: 1000,
  globalPerSecond: 10_000,
  backoffMs: 20,
  maxWaitMs: 200,
};

const translate = createTranslator('locales');

/** Meta's signature: sha256= and the hex HMAC-SHA256 of the raw body with the app secret. */
export const sign = (body: string, secret = APP_SECRET) =>
  `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;

let seq = 0;
/** A unique message id, as Meta's wamid. */
export const wamid = () => `wamid.HBgM${Date.now().toString(36)}${(seq++).toString(36)}`;

/** A webhook payload with messages from people, as Meta posts it. */
export function payload(
  messages: Record<string, unknown>[],
  statuses: Record<string, unknown>[] = [],
  phoneNumberId = PHONE_ID,
) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '987654321',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550001234', phone_number_id: phoneNumberId },
              ...(messages.length
                ? { contacts: messages.map((m) => ({ profile: { name: 'Test' }, wa_id: m.from })) }
                : {}),
              ...(messages.length ? { messages } : {}),
              ...(statuses.length ? { statuses } : {}),
            },
          },
        ],
      },
    ],
  };
}

export const message = (from: string, content: Record<string, unknown>, id = wamid()) => ({
  from,
  id,
  timestamp: String(Math.floor(Date.now() / 1000)),
  ...content,
});
export const textFrom = (from: string, body: string, id?: string) =>
  message(from, { type: 'text', text: { body } }, id);

/** The bot as main() runs it: a real app on a SQLite file, the real host on 127.0.0.1, a fake Graph API, pino logs captured. */
export class World {
  readonly api = new FakeGraphApi();
  readonly tmp = tempDir();
  readonly logLines: string[] = [];
  app!: App;
  channel!: CloudChannel;
  host!: HttpHost;
  base = '';
  private apiRoot = '';
  readonly log = pino(
    { level: 'debug', base: undefined },
    new Writable({
      write: (chunk, _enc, done) => {
        this.logLines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    }),
  );

  get dbPath(): string {
    return `${this.tmp.dir}/bot.db`;
  }

  async start(options: Partial<CloudOptions> = {}): Promise<this> {
    this.apiRoot ||= await this.api.start();
    this.app = buildApp(this.dbPath, [], { log: this.log });
    this.host = new HttpHost(0, this.log, '127.0.0.1');
    this.channel = new CloudChannel(
      {
        accessToken: TOKEN,
        phoneNumberId: PHONE_ID,
        appSecret: APP_SECRET,
        verifyToken: VERIFY_TOKEN,
        apiRoot: this.apiRoot,
        limits: FAST,
        ...options,
      },
      {
        runner: this.app.runner,
        outbound: this.app.outbound,
        host: this.host,
        translate,
        log: this.log.child({ channel: 'whatsapp-cloud' }),
        tag: chatTagger(TEST_SALT),
      },
    );
    await this.host.start();
    await this.app.outbox.resume();
    await this.channel.start();
    this.base = `http://127.0.0.1:${this.host.boundPort()}`;
    return this;
  }

  /** What main() does on SIGTERM, without the API server (a restart keeps it). */
  async stopBot(): Promise<void> {
    await this.host.stop(100);
    await this.channel.stop();
    await this.app.runner.idle();
    await this.app.outbound.drain(5_000);
    await this.app.close();
  }

  async stop(): Promise<void> {
    await this.stopBot();
    await this.api.stop();
    this.tmp.cleanup();
  }

  /** Posts a body to the webhook, signed with the app secret unless told otherwise (null: unsigned). */
  post(body: unknown, signature?: string | null): Promise<Response> {
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    const sig = signature === undefined ? sign(raw) : signature;
    return fetch(`${this.base}/whatsapp/webhook`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(sig === null ? {} : { 'x-hub-signature-256': sig }),
      },
      body: raw,
    });
  }

  /** A person's message (or several) in one webhook; resolves with the HTTP status. */
  async send(...messages: Record<string, unknown>[]): Promise<number> {
    return (await this.post(payload(messages))).status;
  }

  /** Resolves once every queued reply has gone out (the 200 came after they were queued). */
  async sentAll(): Promise<void> {
    if (!(await this.app.outbound.drain(10_000))) throw new Error('replies still queued after 10 s');
  }

  /** A message from a person, answered: the messages the bot sent them for it. */
  async exchange(from: string, content: Record<string, unknown>): Promise<Sent[]> {
    const before = this.api.to(from).length;
    const status = await this.send(message(from, content));
    if (status !== 200) throw new Error(`webhook answered ${status}`);
    await this.sentAll();
    return this.api.to(from).slice(before);
  }

  /** A text from a person, answered: what the bot's messages say (texts and interactive bodies). */
  async ask(from: string, body: string): Promise<Sent[]> {
    return this.exchange(from, { type: 'text', text: { body } });
  }
}

/** What a person reads in these messages: texts, and the bodies of interactive messages. */
export const said = (sent: Sent[]): string =>
  sent
    .map((s) =>
      s.type === 'text' ? s.body.text.body : s.type === 'interactive' ? s.body.interactive.body.text : '',
    )
    .filter(Boolean)
    .join('\n');
