import { newestSaid, seasonStatus, standingBlocks } from '../knowledge/campaign.js';
import type { DayRef } from '../nlu/index.js';
import { formatMinutes, mexicoCityClock, openState } from './clock.js';
import { capitalize, formatDate, weekdayName } from './format.js';
import { type Answer, menu, pick, type Turn } from './turn.js';

/** "lunes a viernes" for a contiguous run of days, else the days listed. */
function daysText(turn: Turn, days: readonly number[]): string {
  const sorted = [...days].sort((a, b) => a - b);
  const first = sorted[0] as number;
  const last = sorted[sorted.length - 1] as number;
  const contiguous = sorted.every((d, i) => d === first + i);
  if (contiguous && sorted.length > 2) {
    return turn.t('hours.days_range', {
      from: weekdayName(first, turn.lang),
      to: weekdayName(last, turn.lang),
    });
  }
  return sorted.map((d) => weekdayName(d, turn.lang)).join(', ');
}

/** The campaign's season line: running until, starting on, or honestly "ended, no new dates yet". */
export function seasonLine(turn: Turn): string {
  const clock = mexicoCityClock(turn.now);
  const status = seasonStatus(turn.knowledge.campaign, clock.date);
  const name = pick(turn, status.season.name);
  const end = formatDate(status.season.end, turn.lang);
  if (status.kind === 'upcoming') {
    return turn.t('season.upcoming', {
      name,
      start: formatDate(status.season.start ?? status.season.end, turn.lang),
    });
  }
  if (status.kind === 'running' && status.season.start)
    return turn.t('season.running_from', {
      name,
      start: formatDate(status.season.start, turn.lang),
      end,
    });
  return turn.t(`season.${status.kind}`, {
    name,
    end,
    start: status.season.start ? formatDate(status.season.start, turn.lang) : '',
  });
}

/** Who opens at weekends, as the newest season that says it. */
function weekendNote(turn: Turn): string {
  const said = newestSaid(turn.knowledge.campaign, (s) => s.weekends);
  return said ? pick(turn, said) : turn.t('hours.some_weekends');
}

/** The ISO weekday a day reference points to, from today in Mexico City. */
function weekdayOf(day: DayRef, today: number): number | 'weekend' {
  if (day.kind === 'weekday') return day.weekday;
  if (day.kind === 'weekend') return 'weekend';
  return day.kind === 'today' ? today : (today % 7) + 1;
}

/** "¿y el sábado?", "¿abren mañana?": the standing hours of that day. */
function dayAnswer(turn: Turn, day: DayRef): string[] {
  const standing = turn.knowledge.campaign.standingHours;
  const clock = mexicoCityClock(turn.now);
  const target = weekdayOf(day, clock.weekday);
  const open = standing.open.replace(/^0/, '');
  const close = standing.close;
  const which =
    day.kind === 'today'
      ? turn.t('hours.today_named', { day: weekdayName(clock.weekday, turn.lang) })
      : day.kind === 'tomorrow'
        ? turn.t('hours.tomorrow_named', { day: weekdayName(target as number, turn.lang) })
        : target === 'weekend'
          ? turn.t('hours.weekend')
          : turn.t('hours.on_day', { day: weekdayName(target, turn.lang) });
  const openThatDay = target !== 'weekend' && standing.days.includes(target);
  if (openThatDay) return [turn.t('hours.day_open', { which, open, close })];
  return [
    turn.t('hours.day_closed', { which, days: daysText(turn, standing.days), open, close }),
    turn.t('hours.weekend_note', { note: capitalize(weekendNote(turn)) }),
  ];
}

/** Standing hours, whether they are open right now in Mexico City time, and the campaign dates. */
export function hours(turn: Turn, day?: DayRef): Answer {
  const standing = turn.knowledge.campaign.standingHours;
  const clock = mexicoCityClock(turn.now);
  if (day && day.kind !== 'today') {
    const lines = [...dayAnswer(turn, day), seasonLine(turn), turn.t('hours.confirm_unit')];
    return { intent: 'hours', replies: [{ text: lines.join('\n'), options: menu(turn, 'hours') }] };
  }
  const now = `${weekdayName(clock.weekday, turn.lang)} ${formatMinutes(clock.minutes)}`;
  const state = openState(standingBlocks(turn.knowledge.campaign), clock);
  let nowLine: string;
  if (state.open) nowLine = turn.t('hours.now_open', { now, close: formatMinutes(state.closesAt) });
  else if (!state.opensAt) nowLine = '';
  else {
    const open = formatMinutes(state.opensAt.minutes);
    const { daysAhead, weekday } = state.opensAt;
    if (daysAhead === 0) nowLine = turn.t('hours.now_closed_today', { now, open });
    else if (daysAhead === 1) nowLine = turn.t('hours.now_closed_tomorrow', { now, open });
    else nowLine = turn.t('hours.now_closed_day', { now, open, day: weekdayName(weekday, turn.lang) });
  }
  const lines = [
    turn.t('hours.schedule', {
      days: daysText(turn, standing.days),
      open: standing.open.replace(/^0/, ''),
      close: standing.close,
      weekends: weekendNote(turn),
    }),
    nowLine,
    seasonLine(turn),
    turn.t('hours.confirm_unit'),
  ].filter(Boolean);
  return { intent: 'hours', replies: [{ text: lines.join('\n'), options: menu(turn, 'hours') }] };
}
