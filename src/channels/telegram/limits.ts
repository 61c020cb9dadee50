import type { ChannelLimits } from '../../outbound/scheduler.js';

/**
 * Telegram's limits, as named constants.
 * https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this
 * https://core.telegram.org/bots/api#sendmessage (text 1–4096 characters)
 * https://core.telegram.org/bots/api#inlinekeyboardbutton (callback_data 1–64 bytes)
 */
const MAX_TEXT = 4096;
/** We split a little below the limit so a part never ends mid-escape after HTML escaping. */
export const SPLIT_AT = MAX_TEXT - 96;
export const MAX_CALLBACK_DATA_BYTES = 64;

export const TELEGRAM_LIMITS: ChannelLimits = {
  // "avoid sending more than one message per second" in a chat, "short bursts" tolerated
  perChatPerSecond: 1,
  perChatBurst: 4,
  // "no more than 30 messages per second" overall
  globalPerSecond: 30,
  maxAttempts: 6,
  backoffMs: 500,
  maxWaitMs: 60_000,
  // About an hour of sends at 30/s: a reply older than that helps nobody, and memory stays bounded.
  maxBacklog: 100_000,
};
