import { formatMinutes, mexicoCityClock, openState } from '../facilities/schedule.js';
import { seasonStatus, standingBlocks } from '../knowledge/campaign.js';
import { formatDate, weekdayName } from './format.js';
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
  return turn.t(`season.${status.kind}`, { name, end });
}

/** Standing hours, whether they are open right now in Mexico City time, and the campaign dates. */
export function hours(turn: Turn): Answer {
  const standing = turn.knowledge.campaign.standingHours;
  const clock = mexicoCityClock(turn.now);
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
    }),
    nowLine,
    seasonLine(turn),
    turn.t('hours.confirm_unit'),
  ].filter(Boolean);
  return { intent: 'hours', replies: [{ text: lines.join('\n'), options: menu(turn, 'hours') }] };
}
