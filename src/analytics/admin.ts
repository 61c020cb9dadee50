import type { Translate } from '../core/i18n.js';
import type { Lang } from '../nlu/index.js';
import type { StatsStorage } from '../storage/ports.js';
import { addDays, mexicoDay } from './day.js';
import { sum, totalsBy } from './report.js';

/** Days the chat summary covers, today included. */
const SUMMARY_DAYS = 7;
const TOP = 5;

/**
 * The `/report` chat command: a short summary of the last 7 days for the admins listed in
 * ADMIN_IDS (`telegram:<user id>`, `whatsapp:<chat id>`). The conversation runner answers it; for
 * anyone else /report is any other unknown text, so its existence is not revealed.
 */
export class AdminReport {
  private readonly admins: ReadonlySet<string>;

  constructor(
    private readonly stats: StatsStorage,
    adminIds: readonly string[],
    private readonly translate: (lang: Lang) => Translate,
    /** Writes pending statistics before reading them. */
    private readonly beforeRead: () => Promise<void> = async () => {},
  ) {
    this.admins = new Set(adminIds.map((id) => id.trim()).filter(Boolean));
  }

  /** Whether this channel's user may see the report. A WhatsApp id may be given with or without "@c.us". */
  isAdmin(channel: string, userId: string): boolean {
    if (!this.admins.size) return false;
    if (this.admins.has(`${channel}:${userId}`)) return true;
    const at = userId.indexOf('@');
    return at > 0 && this.admins.has(`${channel}:${userId.slice(0, at)}`);
  }

  /** The summary in the admin's language: totals, top intents, top codes, top 5 questions not understood. */
  async summary(lang: Lang, now: Date = new Date()): Promise<string> {
    await this.beforeRead();
    const t = this.translate(lang);
    const to = mexicoDay(now);
    const from = addDays(to, -(SUMMARY_DAYS - 1));
    const report = await this.stats.report({ from, to }, { missed: TOP });
    const list = (entries: [string, number][], label: (key: string) => string = (k) => k) =>
      entries.length
        ? entries
            .slice(0, TOP)
            .map(([k, n]) => `${label(k)} ${n}`)
            .join(', ')
        : t('report.none');
    const lines = [
      t('report.title', { from, to }),
      t('report.messages', { count: sum(report.messages, (r) => r.messages) }),
      t('report.by_channel', {
        list: list(
          totalsBy(
            report.messages,
            (r) => r.channel,
            (r) => r.messages,
          ),
        ),
      }),
      t('report.top_intents', {
        list: list(
          totalsBy(
            report.messages,
            (r) => r.intent,
            (r) => r.messages,
          ),
          (intent) => {
            const label = t(`report.intents.${intent}`);
            return label.startsWith('report.') ? intent : label; // i18next answers a missing key with the key
          },
        ),
      }),
      t('report.referrals', { count: sum(report.referrals, (r) => r.people) }),
      t('report.top_codes', {
        list: list(
          totalsBy(
            report.referrals,
            (r) => r.code,
            (r) => r.people,
          ),
        ),
      }),
      report.missed.length ? t('report.missed') : t('report.no_missed'),
      ...report.missed.map((r) => t('report.missed_line', { text: r.text, count: r.count })),
    ];
    return lines.join('\n');
  }
}

/** "/report", "/reporte" (with an optional @bot suffix, as Telegram groups write it), or "reporte". */
const COMMAND = /^(?:\/(?:report|reporte)(?:@\w+)?|reporte)$/i;

export const isReportCommand = (text: string): boolean => COMMAND.test(text.trim());
