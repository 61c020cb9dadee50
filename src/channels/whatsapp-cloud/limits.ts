import type { ChannelLimits } from '../../outbound/scheduler.js';

/**
 * The Cloud API's limits, as named constants.
 * https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages (text, interactive objects)
 * https://developers.facebook.com/docs/whatsapp/cloud-api/overview#throughput (80 messages/s per number)
 * https://developers.facebook.com/docs/whatsapp/cloud-api/overview#pair-rate-limits (1 message / 6 s per user, bursts)
 */
export const MAX_TEXT = 4096;
/** Body of an interactive message (buttons, list, location request). */
export const MAX_INTERACTIVE_BODY = 1024;
export const MAX_BUTTONS = 3;
export const MAX_BUTTON_TITLE = 20;
/** A reply button's id; a list row's id is shorter. */
export const MAX_BUTTON_ID = 256;
export const MAX_ROW_ID = 200;
export const MAX_LIST_ROWS = 10;
export const MAX_ROW_TITLE = 24;
export const MAX_ROW_DESCRIPTION = 72;
export const MAX_SECTION_TITLE = 24;
/** The list's button label. */
export const MAX_LIST_BUTTON = 20;

/** Free-form messages are allowed this long after the person's last message (customer service window). */
export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;
/** Chats whose last inbound time is remembered for the window check (most recent). */
export const WINDOW_CHATS = 100_000;
/** A Graph API call that has not answered in this long is abandoned and retried (transient). */
export const REQUEST_TIMEOUT_MS = 15_000;
/** Meta retries a webhook that is not answered 200; past this we answer 200 even if not yet saved. */
export const ACK_WITHIN_MS = 10_000;
/** What error 131056 (pair rate limit) asks for: one message every 6 s to that person. */
export const PAIR_RETRY_SECONDS = 6;

export const CLOUD_LIMITS: ChannelLimits = {
  // Pair rate limit: about one message every 6 s to one person, with bursts allowed. Our longest
  // answer (nearest units: a text, then a text and a pin per unit) is 7 messages; a burst of 8
  // lets any one answer go at once, and a second answer right after it is paced (6 s a message).
  perChatPerSecond: 1 / 6,
  perChatBurst: 8,
  // Default throughput of a business number; WHATSAPP_CLOUD_PER_SECOND overrides it.
  globalPerSecond: 80,
  maxAttempts: 6,
  backoffMs: 1_000,
  maxWaitMs: 60_000,
  // About 20 minutes of sends at 80/s: older replies help nobody, and memory stays bounded.
  maxBacklog: 100_000,
};
