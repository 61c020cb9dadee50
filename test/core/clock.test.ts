import { describe, expect, it } from 'vitest';
import { type Block, mexicoCityClock, openState } from '../../src/core/clock.js';

const weekdays: Block = { days: [1, 2, 3, 4, 5], open: 8 * 60, close: 20 * 60 };
const allDay: Block = { days: [1, 2, 3, 4, 5, 6, 7], open: 0, close: 24 * 60 };
const at = (iso: string) => mexicoCityClock(new Date(iso));

describe('Mexico City clock', () => {
  it.each([
    ['2025-01-15T14:00:00Z', 3, 480, '2025-01-15'],
    ['2025-07-15T14:00:00Z', 2, 480, '2025-07-15'], // no daylight saving since 2022
    ['2025-01-18T05:59:00Z', 5, 23 * 60 + 59, '2025-01-17'], // still Friday night locally
  ])('%s is weekday %i, minute %i, %s', (iso, weekday, minutes, date) => {
    expect(at(iso)).toEqual({ weekday, minutes, date });
  });
});

describe('open now', () => {
  it.each([
    ['Wednesday 7:59', '2025-01-15T07:59:00-06:00', false],
    ['Wednesday 8:00', '2025-01-15T08:00:00-06:00', true],
    ['Wednesday 19:59', '2025-01-15T19:59:00-06:00', true],
    ['Wednesday 20:00', '2025-01-15T20:00:00-06:00', false],
    ['Saturday noon', '2025-01-18T12:00:00-06:00', false],
    ['Sunday noon', '2025-01-19T12:00:00-06:00', false],
  ])('Monday–Friday 8:00–20:00 at %s: open=%s', (_, iso, open) => {
    expect(openState([weekdays], at(iso)).open).toBe(open);
  });

  it('says when it opens next: later today, tomorrow, or after the weekend', () => {
    expect(openState([weekdays], at('2025-01-15T07:00:00-06:00'))).toEqual({
      open: false,
      opensAt: { weekday: 3, minutes: 480, daysAhead: 0 },
    });
    expect(openState([weekdays], at('2025-01-15T21:00:00-06:00'))).toMatchObject({
      opensAt: { weekday: 4, daysAhead: 1 },
    });
    expect(openState([weekdays], at('2025-01-17T20:00:00-06:00'))).toMatchObject({
      opensAt: { weekday: 1, daysAhead: 3 },
    });
  });

  it('keeps a 24-hour unit open at any hour, weekends included', () => {
    for (const iso of [
      '2025-01-18T00:00:00-06:00',
      '2025-01-19T23:59:00-06:00',
      '2025-01-15T03:30:00-06:00',
    ]) {
      expect(openState([allDay], at(iso)).open).toBe(true);
    }
  });

  it('has no next opening for an empty schedule', () => {
    expect(openState([], at('2025-01-15T10:00:00-06:00'))).toEqual({ open: false });
  });
});
