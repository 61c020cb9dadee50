import type { Engine } from '../core/engine.js';
import type { Translate } from '../core/i18n.js';
import type { Db } from '../db/open.js';
import type { Lang } from '../nlu/index.js';
import { addDays, mexicoDay } from './day.js';
import { readReport, sum, totalsBy } from './report.js';

/** Days the chat summary covers, today included. */
const SUMMARY_DAYS = 7;
const TOP = 5;

/**
 * The `/report` chat command: a short summary of the last 7 days for the admins listed in
 * ADMIN_IDS (`telegram:<user id>`, `whatsapp:<chat id>`). For anyone else the channels treat
 * /report as any other unknown text, so its existence is not revealed.
 */
export class AdminReport {
  private readonly admins: ReadonlySet<string>;

  constructor(
    private readonly db: Db,
    adminIds: readonly string[],
    private readonly translate: (lang: Lang) => Translate,
    /** Writes pending statistics before reading them. */
    private readonly beforeRead: () => void = () => {},
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
  summary(lang: Lang, now: Date = new Date()): string {
    this.beforeRead();
    const t = this.translate(lang);
    const to = mexicoDay(now);
    const from = addDays(to, -(SUMMARY_DAYS - 1));
    const report = readReport(this.db, { from, to }, { missed: TOP });
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

/**
 * Which AdminReport belongs to which engine. createApp registers one; the channels look it up by
 * the engine they were given, so main.ts needs no extra wiring.
 */
const reports = new WeakMap<Engine, AdminReport>();

export function provideAdminReport(engine: Engine, report: AdminReport): void {
  reports.set(engine, report);
}

/**
 * What a channel sends back for a message: the summary when it is the report command from an admin
 * of that channel; undefined for anything else, which the channel then handles as usual.
 */
export function adminReply(
  engine: Engine,
  request: { channel: string; userId: string; text: string; lang: Lang; now?: Date },
): string | undefined {
  const report = reports.get(engine);
  if (!report || !isReportCommand(request.text) || !report.isAdmin(request.channel, request.userId)) return;
  return report.summary(request.lang, request.now);
}

/** "/report", "/reporte" (with an optional @bot suffix, as Telegram groups write it), or "reporte". */
const COMMAND = /^(?:\/(?:report|reporte)(?:@\w+)?|reporte)$/i;

export const isReportCommand = (text: string): boolean => COMMAND.test(text.trim());
