import type { Understanding } from '../nlu/index.js';
import type { LatLon } from './messages.js';
import type { Place } from './ports.js';
import { type Answer, menu, type Turn } from './turn.js';

const MAX_RETRIES = 1;

/** What the vaccination places are, and a request for the person's location or postal code. */
export function facility(turn: Turn, postalCode?: string): Answer {
  if (postalCode) return nearest(turn, { kind: 'postal-code', code: postalCode });
  turn.session.dialog = { kind: 'facility', step: 'location', retries: 0 };
  return {
    intent: 'facility',
    replies: [{ text: turn.t('facility.text') }, { text: turn.t('facility.ask_location') }],
  };
}

/** Nearest units to a place, through the facilities port; honest when no directory is loaded. */
export function nearest(turn: Turn, place: Place): Answer {
  turn.session.dialog = undefined;
  const result = turn.facilities.nearest(place, turn.now);
  if (!result)
    return {
      intent: 'facility',
      replies: [{ text: turn.t('facility.unavailable'), options: menu(turn, 'facility') }],
    };
  const lines = result.facilities.map((f) =>
    turn.t('facility.line', { name: f.name, address: f.address, distance: f.distance_km.toFixed(1) }),
  );
  return {
    intent: 'facility',
    replies: [{ text: [turn.t('facility.found'), ...lines].join('\n'), facilities: result.facilities }],
  };
}

export function locationReceived(turn: Turn, point: LatLon): Answer {
  return nearest(turn, { kind: 'point', point });
}

/** A message while we wait for a location or postal code; undefined when it is about something else. */
export function continueFacility(turn: Turn, retries: number, u: Understanding): Answer | undefined {
  if (u.entities.postalCode) return nearest(turn, { kind: 'postal-code', code: u.entities.postalCode });
  if (u.intent !== 'unknown' && u.intent !== 'facility') return undefined;
  if (retries >= MAX_RETRIES) {
    turn.session.dialog = undefined;
    return undefined;
  }
  turn.session.dialog = { kind: 'facility', step: 'location', retries: retries + 1 };
  return { intent: 'facility', replies: [{ text: turn.t('facility.retry') }] };
}
