import { newestSaid } from '../knowledge/campaign.js';
import type { Understanding } from '../nlu/index.js';
import { formatMinutes } from './clock.js';
import { weekdayName } from './format.js';
import type { FacilityView, LatLon, Reply } from './messages.js';
import type { NearestResult, Place, UnitHours, UnitView } from './ports.js';
import { type Answer, inForce, menu, pick, type Turn } from './turn.js';

const MAX_RETRIES = 1;

const mapLink = (u: UnitView) => `https://www.google.com/maps/search/?api=1&query=${u.lat},${u.lon}`;
/** 10-digit Mexican numbers read better in groups: 951 512 3456. */
const formatPhone = (p: string) =>
  /^\d{10}$/.test(p) ? `${p.slice(0, 3)} ${p.slice(3, 6)} ${p.slice(6)}` : p;

function hoursLines(turn: Turn, h: UnitHours): string[] {
  const { t } = turn;
  const today = h.today.length
    ? t('facility.today', {
        hours: h.today
          .map((b) =>
            b.open === 0 && b.close >= 24 * 60
              ? t('facility.all_day')
              : `${formatMinutes(b.open)}–${formatMinutes(b.close)}`,
          )
          .join(', '),
      })
    : t('facility.today_closed');
  let now = '';
  if (h.open && h.closesAt !== undefined) {
    now =
      h.closesAt >= 24 * 60
        ? t('facility.open_all_day')
        : t('facility.open_until', { close: formatMinutes(h.closesAt) });
  } else if (h.opensAt) {
    const open = formatMinutes(h.opensAt.minutes);
    if (h.opensAt.daysAhead === 0) now = t('facility.closed_opens_today', { open });
    else if (h.opensAt.daysAhead === 1) now = t('facility.closed_opens_tomorrow', { open });
    else now = t('facility.closed_opens_day', { open, day: weekdayName(h.opensAt.weekday, turn.lang) });
  }
  const from = h.from === 'default' ? ` ${t('facility.default_hours')}` : '';
  return [`${today}${from}`, now].filter(Boolean);
}

const roundKm = (km: number) => (Math.round(km * 10) / 10).toFixed(1);

/** How the place was understood, for the first line. */
function placeText(turn: Turn, near: Extract<NearestResult, { kind: 'found' }>['near']): string {
  const { t } = turn;
  return near.kind === 'point'
    ? t('facility.your_location')
    : near.kind === 'place'
      ? near.name
      : t('facility.postal_code', { code: near.code });
}

/**
 * The nearest units: a first reply with the list (and the JSON `facilities`), then one reply with a
 * pin per unit. When even the nearest loaded unit is far, it says so first and gives only that one.
 */
function renderFound(turn: Turn, found: Extract<NearestResult, { kind: 'found' }>): Reply[] {
  const { t } = turn;
  const near = found.near;
  const nearest = found.units[0];
  const nearbyKm = turn.knowledge.campaign.nearbyKm;
  const far = nearest !== undefined && nearest.distanceKm > nearbyKm;
  // Far: only the nearest, said to be far. Near: only the near ones (a unit 500 km away is no option).
  const result = {
    ...found,
    units: far ? found.units.slice(0, 1) : found.units.filter((u) => u.distanceKm <= nearbyKm),
  };
  const intro = far
    ? t('facility.far', {
        place: placeText(turn, near),
        distance: roundKm(nearest.distanceKm),
        km: nearbyKm,
      })
    : near.kind === 'point'
      ? t('facility.near_point')
      : near.kind === 'place'
        ? t('facility.near_place', { place: near.name })
        : near.approximate
          ? t('facility.near_postal_approx', { code: near.code, state: near.approximate })
          : t('facility.near_postal', { code: near.code });
  const facilities: FacilityView[] = result.units.map((u) => ({
    id: u.id,
    name: u.name,
    address: u.address,
    lat: u.lat,
    lon: u.lon,
    distance_km: Math.round(u.distanceKm * 10) / 10,
    open_now: u.hours.open,
  }));
  const first: Reply = {
    text: [
      intro,
      far ? t('facility.far_advice') : t('facility.confirm'),
      result.demo ? t('facility.demo') : '',
    ]
      .filter(Boolean)
      .join('\n'),
    facilities,
  };
  const units: Reply[] = result.units.map((u) => ({
    text: [
      t('facility.unit', {
        name: u.name,
        address: u.address,
        distance: roundKm(u.distanceKm),
      }),
      ...hoursLines(turn, u.hours),
      u.phone ? t('facility.phone', { phone: formatPhone(u.phone) }) : '',
      t('facility.map', { url: mapLink(u) }),
    ]
      .filter(Boolean)
      .join('\n'),
    location: { lat: u.lat, lon: u.lon, title: u.name, address: u.address },
  }));
  const last = units[units.length - 1];
  if (last) last.options = menu(turn, 'facility').slice(0, 3);
  return [first, ...units];
}

/** Nearest units to a place, through the facilities port; honest when something is unknown. */
export function nearest(turn: Turn, place: Place): Answer {
  turn.session.dialog = undefined;
  const result = turn.facilities.nearest(place, turn.now);
  const { t } = turn;
  switch (result.kind) {
    case 'found':
      return { intent: 'facility', replies: renderFound(turn, result) };
    case 'no-directory':
      return {
        intent: 'facility',
        replies: [{ text: t('facility.unavailable'), options: menu(turn, 'facility') }],
      };
    case 'unknown-postal-code':
      turn.session.dialog = { kind: 'facility', step: 'location', retries: 0 };
      return {
        intent: 'facility',
        replies: [{ text: t('facility.unknown_postal', { code: result.code }), requestLocation: true }],
      };
    case 'unknown-place':
      turn.session.dialog = { kind: 'facility', step: 'location', retries: 0 };
      return { intent: 'facility', replies: [{ text: t('facility.unknown_place'), requestLocation: true }] };
  }
}

/** A place named in the message, if any: answered, or a choice between same-named places. */
function byPlaceName(turn: Turn, text: string): Answer | undefined {
  const found = turn.facilities.findPlace(text);
  if (found.kind === 'found') return nearest(turn, { kind: 'place', id: found.id });
  if (found.kind === 'ambiguous') {
    turn.session.dialog = { kind: 'facility', step: 'location', retries: 0 };
    return {
      intent: 'facility',
      replies: [
        {
          text: turn.t('facility.which_place'),
          options: found.candidates.map((c) => ({ id: `place:${c.id}`, label: c.label })),
        },
      ],
    };
  }
  return undefined;
}

/**
 * A "where" question: straight to the nearest units when it carries a postal code or a place
 * name; otherwise what the vaccination places are, and a request for a location or postal code.
 */
export function facility(turn: Turn, u?: Understanding, text?: string): Answer {
  if (u?.entities.postalCode) return nearest(turn, { kind: 'postal-code', code: u.entities.postalCode });
  const named = text ? byPlaceName(turn, text) : undefined;
  if (named) return named;
  turn.session.dialog = { kind: 'facility', step: 'location', retries: 0 };
  return {
    intent: 'facility',
    replies: [{ text: whereText(turn) }, { text: turn.t('facility.ask_location'), requestLocation: true }],
  };
}

/** Where people get vaccinated, as the season in force (or the newest one) describes it. */
function whereText(turn: Turn): string {
  const where = inForce(turn).season.where ?? newestSaid(turn.knowledge.campaign, (s) => s.where);
  return where ? pick(turn, where) : turn.t('facility.text');
}

/** The request for a place, alone: when "where" was a second question in the message. */
export function askLocation(turn: Turn): Reply {
  turn.session.dialog = { kind: 'facility', step: 'location', retries: 0 };
  return { text: turn.t('facility.ask_location'), requestLocation: true };
}

export function locationReceived(turn: Turn, point: LatLon): Answer {
  return nearest(turn, { kind: 'point', point });
}

/** A message while we wait for a location, postal code or place; undefined when it is about something else. */
export function continueFacility(
  turn: Turn,
  retries: number,
  u: Understanding,
  text: string,
): Answer | undefined {
  // "en iztapalapa, cerca del metro constitución" answers "where?"; a pet or a translation does not
  const landmark = u.outOfScope === 'place' || u.outOfScope === 'topic' || u.outOfScope === 'service';
  if (u.outOfScope && !landmark) return undefined;
  if (u.entities.postalCode) return nearest(turn, { kind: 'postal-code', code: u.entities.postalCode });
  if (landmark) return byPlaceName(turn, text);
  if (u.intent !== 'unknown' && u.intent !== 'facility') return undefined;
  const named = byPlaceName(turn, text);
  if (named) return named;
  // "where can I get vaccinated?" again: the question, answered again (not "I found no postal code")
  if (u.intent === 'facility') return undefined;
  if (retries >= MAX_RETRIES) {
    turn.session.dialog = undefined;
    return undefined;
  }
  turn.session.dialog = { kind: 'facility', step: 'location', retries: retries + 1 };
  return { intent: 'facility', replies: [{ text: turn.t('facility.retry'), requestLocation: true }] };
}
