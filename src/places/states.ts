import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { readJsonFile } from '../knowledge/read-data.js';
import { baseTokens } from '../nlu/normalize.js';

/** Where the state table lives; resolved from this module so it does not depend on the working directory. */
export const STATES_FILE = fileURLToPath(new URL('../../data/places/states.json', import.meta.url));

/** The state table of a content folder (DATA_DIR): the bot and the postal-code importer read the same one. */
export const statesFileIn = (dataDir: string) => join(dataDir, 'places', 'states.json');

/**
 * Place text the way the rest of the bot sees it: lowercase, accents off, punctuation to spaces,
 * spaces collapsed. Names, aliases and messages all go through it, so they compare as plain strings.
 */
export function normalizePlace(text: string): string {
  return baseTokens(text, {}).join(' ');
}

const TwoDigits = z.string().regex(/^\d{2}$/, 'two digits');
const Alias = z.string().trim().min(1);

const State = z
  .object({
    code: TwoDigits,
    name: z.string().trim().min(1),
    geonamesAdmin1: TwoDigits,
    aliases: z.array(Alias).min(1),
    qualifiers: z.array(Alias),
    postalPrefixes: z.array(TwoDigits).min(1),
    /** Everyday names of big places that GeoNames only spells out ("GAM") → GeoNames id. */
    placeAliases: z.record(Alias, z.number().int().positive()),
    capital: z
      .object({
        name: z.string().trim().min(1),
        geonameId: z.number().int().positive(),
        aliases: z.array(Alias),
      })
      .strict(),
  })
  .strict();
export type MexicanState = z.infer<typeof State>;

/** Reports the first value seen twice, at the path of its second occurrence. */
function unique(
  ctx: z.RefinementCtx,
  items: readonly { value: string; path: (string | number)[] }[],
  what: string,
): void {
  const seen = new Map<string, string>();
  for (const { value, path } of items) {
    const before = seen.get(value);
    if (before !== undefined) {
      ctx.addIssue({ code: 'custom', path, message: `${what} "${value}" is already used at ${before}` });
      return;
    }
    seen.set(value, path.join('.'));
  }
}

export const StatesFile = z
  .object({
    source: z.string().trim().min(1),
    note: z.string().optional(),
    states: z.array(State).length(32, 'Mexico has 32 states'),
  })
  .strict()
  .superRefine((file, ctx) => {
    const s = file.states;
    unique(
      ctx,
      s.map((st, i) => ({ value: st.code, path: ['states', i, 'code'] })),
      'state code',
    );
    unique(
      ctx,
      s.map((st, i) => ({ value: st.geonamesAdmin1, path: ['states', i, 'geonamesAdmin1'] })),
      'GeoNames admin1 code',
    );
    unique(
      ctx,
      s.flatMap((st, i) =>
        st.postalPrefixes.map((p, j) => ({ value: p, path: ['states', i, 'postalPrefixes', j] })),
      ),
      'postal prefix',
    );
    // Aliases and qualifiers are compared normalised, as the gazetteer will see them.
    unique(
      ctx,
      s.flatMap((st, i) => [
        ...st.aliases.map((a, j) => ({ value: normalizePlace(a), path: ['states', i, 'aliases', j] })),
        ...st.qualifiers.map((a, j) => ({ value: normalizePlace(a), path: ['states', i, 'qualifiers', j] })),
        ...Object.keys(st.placeAliases).map((a) => ({
          value: normalizePlace(a),
          path: ['states', i, 'placeAliases', a],
        })),
      ]),
      'alias',
    );
  });

/** The 32 states, with lookups by INEGI code, GeoNames admin1 code and postal code. */
export class States {
  readonly source: string;
  private readonly byInegi = new Map<string, MexicanState>();
  private readonly byAdmin1 = new Map<string, MexicanState>();
  private readonly byPrefix = new Map<string, MexicanState>();

  constructor(file: z.infer<typeof StatesFile>) {
    this.source = file.source;
    for (const s of file.states) {
      this.byInegi.set(s.code, s);
      this.byAdmin1.set(s.geonamesAdmin1, s);
      for (const p of s.postalPrefixes) this.byPrefix.set(p, s);
    }
  }

  static load(file = STATES_FILE): States {
    return new States(readJsonFile(file, StatesFile));
  }

  get all(): readonly MexicanState[] {
    return [...this.byInegi.values()];
  }

  /** By INEGI code ("01"…"32"). */
  byCode(code: string): MexicanState | undefined {
    return this.byInegi.get(code);
  }

  /** By GeoNames admin1 code, which is not the INEGI code for four states (see the file's note). */
  byGeonamesAdmin1(admin1: string): MexicanState | undefined {
    return this.byAdmin1.get(admin1);
  }

  /** The state a five-digit postal code belongs to, from its first two digits. */
  byPostalCode(code: string): MexicanState | undefined {
    return /^\d{5}$/.test(code) ? this.byPrefix.get(code.slice(0, 2)) : undefined;
  }
}
