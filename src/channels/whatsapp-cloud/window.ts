import { LruMap } from '../../bounded.js';
import { SERVICE_WINDOW_MS, WINDOW_CHATS } from './limits.js';

/**
 * The 24-hour customer service window, as far as this process knows it: the time of each chat's
 * last message, for the most recent chats. A chat not remembered (a restart, or pushed out) is
 * allowed: Meta then refuses with 131047 if the window is closed, which is counted the same way.
 * https://developers.facebook.com/docs/whatsapp/pricing#customer-service-windows
 */
export class ServiceWindow {
  private readonly last = new LruMap<number>(WINDOW_CHATS);

  /** The person wrote at `at` (the message's own time, ms): the window runs 24 h from there. */
  wrote(chat: string, at: number): void {
    const known = this.last.get(chat);
    if (known === undefined || at > known) this.last.set(chat, at);
  }

  /** True only when the last message is known and older than 24 hours. */
  closed(chat: string, now: number): boolean {
    const at = this.last.get(chat);
    return at !== undefined && now - at > SERVICE_WINDOW_MS;
  }
}
