import type { Config } from '../config.js';
import type { Translate } from '../core/i18n.js';
import type { Health, HttpHost } from '../http/host.js';
import type { Logger } from '../log.js';
import type { Lang } from '../nlu/index.js';
import type { Outbound } from '../outbound/send.js';
import type { ConversationRunner } from '../runner/runner.js';

/** A messaging channel as main() sees it: started with the bot, stopped on shutdown. */
export interface Channel {
  readonly name: string;
  start(): Promise<void>;
  /** Stops taking updates; the send port drains the replies already queued. */
  stop(): Promise<void>;
  /** For /healthz: whether the channel is connected and able to send. */
  health(): Health;
}

/** What every channel is built with: where messages go in, where replies go out, where webhooks mount. */
export interface ChannelContext {
  runner: ConversationRunner;
  outbound: Outbound;
  host: HttpHost;
  translate: (lang: Lang) => Translate;
  log: Logger;
}

/** One line of the channel list in channels/index.ts: when it runs, and how it is built. */
export interface ChannelFactory {
  readonly name: string;
  enabled(config: Config): boolean;
  create(config: Config, context: ChannelContext): Promise<Channel>;
}
