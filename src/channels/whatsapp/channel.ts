import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../../config.js';
import type { Translate } from '../../core/i18n.js';
import type { Health } from '../../http/host.js';
import type { Lang } from '../../nlu/index.js';
import type { ChannelLimits } from '../../outbound/scheduler.js';
import type { Outbound } from '../../outbound/send.js';
import type { ConversationRunner } from '../../runner/runner.js';
import type { Channel } from '../channel.js';
import { WhatsAppAdapter } from './adapter.js';
import { createClient } from './client.js';
import { CHANNEL, PAIRING_QR_FILE, SEND_WAIT_READY_MS, STOP_DRAIN_MS, WHATSAPP_LIMITS } from './constants.js';
import type { WhatsAppLog } from './log.js';
import { removePairingQr, showPairingQr } from './pairing.js';
import { chatTagger, describeError, redact } from './privacy.js';
import {
  ClientSupervisor,
  DEFAULT_SUPERVISOR,
  type SupervisorEnd,
  type SupervisorOptions,
} from './supervisor.js';
import { type Client, Events } from './wwebjs.js';

export type WhatsAppConfig = Pick<
  Config,
  | 'PUPPETEER_EXECUTABLE_PATH'
  | 'WHATSAPP_SESSION_DIR'
  | 'WHATSAPP_GLOBAL_PER_SECOND'
  | 'DEFAULT_LANG'
  | 'HASH_SALT'
>;

/** LocalAuth's folder for the linked-device session (no clientId given), inside WHATSAPP_SESSION_DIR. */
const SAVED_SESSION = 'session';

/**
 * The first line the channel logs. Without it, WHATSAPP_ENABLED only seems to make the terminal chat vanish
 * (a messaging channel runs instead of the console) and, offline, nothing but retry warnings follow.
 */
export function startLine(paired: boolean): string {
  return (
    'WhatsApp channel on (WHATSAPP_ENABLED), so the terminal chat is off (`npm run chat` opens it); ' +
    'reaching WhatsApp Web in headless Chromium' +
    (paired
      ? ' with the saved session'
      : '; not paired yet: once it is reached a QR appears here, to scan from the phone (Linked devices)') +
    '; offline, it only retries'
  );
}

export interface WhatsAppOptions {
  supervisor?: Partial<SupervisorOptions>;
  limits?: Partial<ChannelLimits>;
  /** Builds each client (default: LocalAuth in WHATSAPP_SESSION_DIR, headless Chromium). */
  createClient?: () => Client;
  /** Where the pairing QR is drawn (default stdout; logs go to stderr). */
  qrOut?: NodeJS.WritableStream;
  clock?: () => Date;
}

/**
 * WhatsApp through whatsapp-web.js: an unofficial client that drives WhatsApp Web in headless
 * Chromium as a linked device of a phone (see the README for the ban risk). Pieces: the adapter
 * (messages in and out), the supervisor (one live client, re-created after failures), pairing
 * (QR), and the send port's scheduler paced for WhatsApp.
 */
export class WhatsAppChannel implements Channel {
  readonly name = CHANNEL;
  readonly adapter: WhatsAppAdapter;
  private readonly outbound: Outbound;
  /** Between 'ready' and a disconnect, for /healthz. */
  private connected = false;
  private readonly supervisor: ClientSupervisor;
  private readonly qrFile: string;
  private readonly sessionDir: string;
  private readonly qrOut: NodeJS.WritableStream;

  constructor(
    deps: { runner: ConversationRunner; outbound: Outbound; translate: (lang: Lang) => Translate },
    config: WhatsAppConfig,
    private readonly log: WhatsAppLog,
    options: WhatsAppOptions = {},
  ) {
    const tag = chatTagger(config.HASH_SALT);
    this.sessionDir = config.WHATSAPP_SESSION_DIR;
    this.qrFile = join(config.WHATSAPP_SESSION_DIR, PAIRING_QR_FILE);
    this.qrOut = options.qrOut ?? process.stdout;
    this.outbound = deps.outbound;
    this.supervisor = new ClientSupervisor(
      options.createClient ?? (() => createClient(config)),
      (client) => this.wire(client),
      { ...DEFAULT_SUPERVISOR, ...options.supervisor },
      log,
    );
    this.adapter = new WhatsAppAdapter({
      ...deps,
      limits: { ...WHATSAPP_LIMITS, globalPerSecond: config.WHATSAPP_GLOBAL_PER_SECOND, ...options.limits },
      sender: () => this.supervisor.whenReady(SEND_WAIT_READY_MS),
      log,
      tag,
      ...(options.clock ? { clock: options.clock } : {}),
    });
  }

  /** Starts connecting and returns: pairing may wait for a person to scan the QR. */
  async start(): Promise<void> {
    const paired = existsSync(join(this.sessionDir, SAVED_SESSION));
    this.log.info({ sessionDir: this.sessionDir, paired }, startLine(paired));
    this.supervisor.start();
  }

  /** Settles when the channel ends: 'stopped' by stop(), or 'gave-up' after the bounded attempts. */
  get finished(): Promise<SupervisorEnd> {
    return this.supervisor.finished;
  }

  health(): Health {
    return this.connected ? { ok: true } : { ok: false, detail: 'not connected to WhatsApp Web' };
  }

  async stop(): Promise<void> {
    this.adapter.close();
    // Replies already queued go out while the client is still up, but a dead connection must not hold the shutdown.
    await this.outbound.scheduler(CHANNEL)?.drain(STOP_DRAIN_MS);
    await this.supervisor.stop();
  }

  private wire(client: Client): void {
    const log = this.log;
    this.adapter.attach(client);
    client.on(Events.QR_RECEIVED, (qr: string) => {
      showPairingQr(qr, this.qrFile, this.qrOut).then(
        () => log.info({ file: this.qrFile }, 'WhatsApp: scan the pairing QR (terminal or file)'),
        (err: unknown) =>
          log.warn({ error: describeError(err) }, 'WhatsApp: could not write the pairing QR file'),
      );
    });
    client.on(Events.AUTHENTICATED, () => {
      log.info({}, 'WhatsApp authenticated');
      removePairingQr(this.qrFile).catch(() => {});
    });
    client.on(Events.READY, () => {
      this.connected = true;
      log.info({}, 'WhatsApp ready');
    });
    client.on(Events.DISCONNECTED, (reason: unknown) => {
      this.connected = false;
      log.warn({ reason: redact(String(reason)) }, 'WhatsApp disconnected');
    });
    client.on(Events.AUTHENTICATION_FAILURE, () =>
      log.error({}, 'WhatsApp authentication failed: the saved session was refused'),
    );
  }
}
