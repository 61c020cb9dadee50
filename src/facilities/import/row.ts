import { ConfigError } from '../../errors.js';
import type { FacilityRow } from '../types.js';
import { normalizeName, type RawRow, type RawValue } from './headers.js';

/**
 * One catalogue row → one unit we can offer, or the reason we cannot. Pure: no I/O, so every quirk of
 * the real files is pinned by a table-driven test.
 */

export type InstitutionFilter = ReadonlySet<string> | 'all';

/** The campaign is IMSS's: other institutions are imported only when asked for. */
export const DEFAULT_INSTITUTIONS: readonly string[] = ['IMS'];

/** Names accepted by --institution, mapped to CLUES institution codes. */
const INSTITUTION_NAMES: Record<string, readonly string[]> = {
  imss: ['IMS'],
  // Two codes since the 2023 transfer: IMB (Servicios de Salud IMSS-Bienestar) and IMO (IMSS régimen Bienestar).
  'imss-bienestar': ['IMB', 'IMO'],
  imssbienestar: ['IMB', 'IMO'],
  issste: ['IST'],
  ssa: ['SSA'],
};

/** `--institution imss,imss-bienestar` or `IMS,IMB` or `all` → the codes to keep. */
export function institutionFilter(
  spec: string | readonly string[] = DEFAULT_INSTITUTIONS,
): InstitutionFilter {
  const tokens = (typeof spec === 'string' ? [spec] : spec)
    .flatMap((s) => s.split(','))
    .map((s) =>
      s
        .trim()
        .toLowerCase()
        .replace(/[\s_]+/g, '-'),
    )
    .filter(Boolean);
  if (!tokens.length) throw new ConfigError('--institution', 'at least one institution code or name');
  if (tokens.includes('all')) return 'all';
  const codes = new Set<string>();
  for (const token of tokens) {
    const named = INSTITUTION_NAMES[token];
    if (named) for (const c of named) codes.add(c);
    else if (/^[a-z]{3}$/.test(token)) codes.add(token.toUpperCase());
    else {
      throw new ConfigError(
        '--institution',
        `institution codes (IMS, IMB, IMO, IST, SSA…) or names (${Object.keys(INSTITUTION_NAMES).join(', ')}, all); got "${token}"`,
      );
    }
  }
  return codes;
}

/**
 * The --institution value that selects these codes: a name where one covers a code (IMB → imss-bienestar,
 * which also takes IMO), else the code itself. For the hint that says how to import what a file holds.
 */
export function institutionOption(codes: Iterable<string>): string {
  const wanted = new Set(codes);
  const parts: string[] = [];
  for (const [name, named] of Object.entries(INSTITUTION_NAMES)) {
    if (!named.some((c) => wanted.has(c))) continue;
    parts.push(name);
    for (const c of named) wanted.delete(c); // so an alias (imssbienestar) is not added a second time
  }
  return [...parts, ...[...wanted].sort()].join(',');
}

export interface RowOptions {
  institutions: InstitutionFilter;
  /** Attribution stored with every unit, e.g. "Secretaría de Salud – DGIS, Catálogo CLUES, corte 202604". */
  source: string;
}

/** `retire`: the catalogue says this unit must not be offered (closed, or not for the public). */
export type RowResult = { row: FacilityRow; fixed?: string } | { skip: string; retire?: true };

/** Mexico's bounding box (mainland and islands), decimal degrees. */
const BOX = { minLat: 14.4, maxLat: 32.8, minLon: -118.6, maxLon: -86.6 };
const inMexico = (lat: number, lon: number) =>
  lat >= BOX.minLat && lat <= BOX.maxLat && lon >= BOX.minLon && lon <= BOX.maxLon;

/** Trimmed text with inner runs of spaces collapsed; empty → null. Numbers (xlsx) become text. */
export function text(value: RawValue): string | null {
  if (value === null || value === undefined) return null;
  const s = (value instanceof Date ? value.toISOString() : String(value)).replace(/\s+/g, ' ').trim();
  return s || null;
}

/** A CLUES key: 2-letter state, 3-letter institution, digits (OCIMS000013). */
export const CLUES_KEY = /^[A-Z]{5}\d+$/;

/** The row's CLUES key, trimmed and uppercased, when it has one. */
export const cluesKey = (values: RawRow): string | null => text(values.clues)?.toUpperCase() ?? null;

/** Five digits with the leading zeros Excel dropped ("6700" → "06700"); the catalogue's 99999 means unknown. */
export function postalCode(value: RawValue): string | null {
  const digits = text(value)?.replace(/\D/g, '') ?? '';
  if (!digits || digits.length > 5) return null;
  const code = digits.padStart(5, '0');
  return code === '00000' || code === '99999' ? null : code;
}

const NO_NUMBER = new Set(['SINNUMERO', 'SINNUM', 'SINNO', 'S/N', 'SN']);

/** The street number, or null for the catalogue's ways of saying there is none. */
export function streetNumber(value: RawValue): string | null {
  const s = text(value);
  return s && NO_NUMBER.has(normalizeName(s).replace(/[\s.]/g, '')) ? null : s;
}

/** Digits only; null for placeholders (0000000000, 1111111111, too short to dial) so we never give a fake number. */
export function phone(value: RawValue): string | null {
  // Two numbers in one cell ("951 123 4567 / 951 765 4321"): the first is the switchboard.
  const first = text(value)?.split(/[/,;]/)[0] ?? '';
  const digits = first.replace(/\D/g, '');
  if (digits.length < 8 || /^(\d)\1*$/.test(digits)) return null;
  return digits;
}

/** A coordinate from a number (xlsx) or text ("17.06", "-96,72"); null when missing or not a number. */
export function coordinate(value: RawValue): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  const s = text(value);
  if (!s) return null;
  const n = Number(/^-?\d+,\d+$/.test(s) ? s.replace(',', '.') : s);
  return Number.isFinite(n) ? n : null;
}

type Located = { lat: number; lon: number; fixed?: string } | { skip: string };

/** Keeps coordinates inside Mexico, repairing the two mistakes seen in the catalogue; anything else is skipped. */
export function locate(latValue: RawValue, lonValue: RawValue): Located {
  const lat = coordinate(latValue);
  const lon = coordinate(lonValue);
  if (lat === null || lon === null || lat === 0 || lon === 0) return { skip: 'no coordinates' };
  if (inMexico(lat, lon)) return { lat, lon };
  if (inMexico(lon, lat)) return { lat: lon, lon: lat, fixed: 'swapped latitude/longitude' };
  if (lon > 0 && inMexico(lat, -lon)) return { lat, lon: -lon, fixed: 'negated positive longitude' };
  if (lat > 0 && inMexico(lon, -lat)) {
    return { lat: lon, lon: -lat, fixed: 'swapped latitude/longitude and negated longitude' };
  }
  return { skip: `coordinates outside Mexico (latitude ${lat}, longitude ${lon})` };
}

/** The unit's institution: its own column in the national layout, else characters 3–5 of the key. */
export function institutionOf(values: RawRow, key: string): string {
  return text(values.institution)?.toUpperCase() ?? key.slice(2, 5);
}

export function mapRow(values: RawRow, options: RowOptions): RowResult {
  const clues = cluesKey(values);
  if (!clues) return { skip: 'no CLUES key' };
  if (!CLUES_KEY.test(clues)) return { skip: `invalid CLUES key "${clues}"` };

  const institution = institutionOf(values, clues);
  if (options.institutions !== 'all' && !options.institutions.has(institution)) {
    return {
      skip: `institution ${institution} not selected (importing ${[...options.institutions].join(', ')})`,
    };
  }

  const status = text(values.status);
  if (normalizeName(status) !== 'EN OPERACION') {
    return status ? { skip: `not in operation (${status})`, retire: true } : { skip: 'no operating status' };
  }

  const kind = text(values.kind);
  const typology = text(values.typology);
  // Warehouses, offices, laboratories: registered health establishments that do not see the public.
  if (normalizeName(kind) === 'DE APOYO') {
    return {
      skip: `does not serve the public (${[kind, typology].filter(Boolean).join(': ')})`,
      retire: true,
    };
  }

  const name = text(values.name);
  if (!name) return { skip: 'no unit name' };

  const place = locate(values.lat, values.lon);
  if ('skip' in place) return place;

  const row: FacilityRow = {
    clues,
    institution,
    name,
    kind,
    typology,
    street: text(values.street),
    number: streetNumber(values.number),
    colonia: text(values.colonia),
    postalCode: postalCode(values.postalCode),
    locality: text(values.locality),
    municipality: text(values.municipality),
    state: text(values.state),
    phone: phone(values.phone) ?? phone(values.phone2),
    lat: place.lat,
    lon: place.lon,
    schedule: null,
    source: options.source,
    demo: false,
  };
  return place.fixed ? { row, fixed: place.fixed } : { row };
}
