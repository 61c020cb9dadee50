import type { EmergencyFile } from './lexicon.js';
import { categoryOf, type People } from './people.js';

const DIGIT = /\d/;
/** "38 y pico", "39 y medio", "almost 39", "casi en 39", "anda en 38": a reading, whatever word comes with it. */
const READING_AFTER = /^ ?(y pico|y medio|y tantos|and a half|point)/;
const READING_BEFORE =
  /(casi|casi en|anda en|esta en|llego a|subio a|marca|marcaba|almost|nearly|hit|reads|reading|at) $/;
/**
 * Numbers that are not a reading, whatever words are near (issue 15): an identifier or an address
 * ("mi nss 39.5…", "folio 38.5", "calle 39 numero 102"), the weather ("hace 38 grados afuera"), an
 * age or a length of time ("39 semanas", "38 años").
 */
const IDENTIFIER_BEFORE =
  /\b(nss|curp|rfc|folio|cp|c ?p|codigo postal|postal|zip|telefono|tel|cel|celular|whatsapp|numero|num|no|calle|av|avenida|col|colonia|clave|matricula|afiliacion|seguro social|credencial|ine|cuenta|ext|extension|phone|number|id|street|apt|#)[\s:.#-]*$/;
const WEATHER_BEFORE =
  /\b(hace|hizo|hara|haciendo|estamos a|clima de|temperatura ambiente de) (como |unos |casi |mas de )?$/;
const WEATHER_AFTER =
  /^\s*(°|º)?\s*(grados|degrees|c\b|f\b)?\s*(de calor|afuera|a la sombra|en la calle|de temperatura ambiente|ambiente|en (mi|la|esta) ciudad|outside|out there|in the shade)/;
const UNIT_AFTER =
  /^ ?(anos|ano|meses|mes|semanas|semana|sem|dias|dia|horas|hrs|kilos|kg|cm|years|year|yo|months|weeks|days|hours|lbs|pounds)\b/;
/** The weather in the normalised text: its "grados" or "hot" is no fever word. */
const WEATHER =
  /\b((hace|hizo|hara|haciendo|estamos a) (como |unos |casi |mas de |mucho |un )?(\d+ )?(grados|degrees|calor|caloron)?|(\d+ )?(grados|degrees|caliente|hot) (de calor|afuera|a la sombra|en la calle|ambiente|outside|out there|in the shade)|(so |very |really )?hot (outside|out there|today|weather)|(el )?clima (esta )?(muy )?caliente)\b/g;
/** A group of digits this long, however separated, is a phone number or an identifier. */
const LONG_DIGITS = 7;

/** Whether the number at `at` (of `length` characters) says something other than a temperature. */
function notAReading(text: string, at: number, length: number): boolean {
  const before = text.slice(Math.max(0, at - 24), at);
  const after = text.slice(at + length, at + length + 30);
  if (IDENTIFIER_BEFORE.test(before) || WEATHER_BEFORE.test(before)) return true;
  if (WEATHER_AFTER.test(after) || UNIT_AFTER.test(after)) return true;
  // "55 3839 4041", "12 38 90 1234": part of a longer run of digits
  let start = at;
  while (start > 0 && /[\d -]/.test(text[start - 1] ?? '')) start--;
  let end = at + length;
  while (end < text.length && /[\d -]/.test(text[end] ?? '')) end++;
  return (text.slice(start, end).match(/\d/g)?.length ?? 0) >= LONG_DIGITS;
}

/** Readings outside these ranges are not a body temperature in that scale. */
const CELSIUS = { min: 34, max: 43 };
const FAHRENHEIT = { min: 93, max: 110 };
/**
 * A past episode ("me desmayé la vez pasada que me vacunaron", "last year I had a bad reaction") is
 * a question about vaccinating again, not an emergency now. Thoughts of suicide count at any time.
 */
const PAST =
  /\b(la (vez|ocasion) pasada|la ultima vacuna|la vacuna pasada|last (vaccination|vaccine|shot|dose|one)|la ultima vez|el (ano|mes) pasado|el otro ano|hace (\d+|un|una|unos|unas|dos|tres|varios|muchos) (anos|ano|meses|mes)|de (nino|nina|chiquit[oa]|pequen[oa])|last (time|year|season)|the other year|years ago|months ago|as a (kid|child)|previous (dose|shot|vaccine|time)|before,? when|antecedentes? de|historia de|historial de|history of)\b/;

/** "tiene 39", "has 38", "anda en 39": how a baby's temperature is told without a fever word. */
const BARE_READING =
  /\b(tiene|trae|anda en|esta en|esta con|amanecio con|amanecio en|has|is at|is running|running) (3[8-9]|4[0-2])\b(?! (anos|meses|semanas|dias|years|months|weeks|days))/;
/** Up to this age a person counts as a baby for the rules that name babies. */
const INFANT_MONTHS = 11;
/** A baby named with no age: treated as this many months (a baby's threshold, not a newborn's). */
const BABY_MONTHS = 11;
/** A child named with no age. */
const CHILD_MONTHS = 120;

/**
 * The highest body temperature the message states, in °C: "39.5", "38,7", "39 grados",
 * "temperatura de 39", "102 F", and in words ("treinta y ocho y medio", through the normalised tokens,
 * where number words are digits). A number counts only next to a fever word or a degree sign.
 */
function temperatureIn(raw: string, words: RegExp, normalised = ''): number | undefined {
  if (!DIGIT.test(raw)) return spelled(normalised, words);
  const text = raw.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '').slice(0, 600);
  let best: number | undefined;
  // Whole numbers only: "38" inside "12380101", "gode380101gr8" or "38,000" is no reading.
  for (const m of text.matchAll(
    /(?<![a-z]|\d|\d[.,])(\d{2,3})(?:[.,](\d{1,2}))?(?!\d|[.,]\d)(\s*(?:°|º|grados|degrees|c\b|f\b))?/g,
  )) {
    const value = Number(`${m[1]}.${m[2] ?? '0'}`);
    const at = m.index ?? 0;
    const number = m[0].length - (m[3]?.length ?? 0);
    if (notAReading(text, at, number)) continue;
    const near = text.slice(Math.max(0, at - 30), at + m[0].length + 30);
    // "38.5" with a decimal is a temperature by itself, and so is "38 y pico" or "casi en 39"; a whole
    // number otherwise needs a fever word or a degree sign.
    const reading =
      value >= 37 &&
      value <= CELSIUS.max &&
      (m[2] !== undefined ||
        READING_AFTER.test(text.slice(at + m[0].length, at + m[0].length + 10)) ||
        READING_BEFORE.test(text.slice(Math.max(0, at - 14), at)));
    if (!m[3] && !words.test(near) && !reading) continue;
    let celsius: number | undefined;
    if (value >= CELSIUS.min && value <= CELSIUS.max && !/f\b/.test(m[3] ?? '')) celsius = value;
    else if (value >= FAHRENHEIT.min && value <= FAHRENHEIT.max) celsius = ((value - 32) * 5) / 9;
    if (celsius !== undefined && (best === undefined || celsius > best)) best = celsius;
  }
  return best;
}

/** "treinta y ocho y medio" → "38 y medio" in the tokens; "y medio" and "punto 5" are the decimals. */
function spelled(normalised: string, words: RegExp): number | undefined {
  if (!normalised) return undefined;
  const m = /\b(3[7-9]|4[0-2])( y medio| y pico| punto (\d))?\b/.exec(normalised);
  if (!m) return undefined;
  // a fever word, or the way a reading is said ("38 y medio", "casi 39")
  const at = m.index;
  const reading = m[2] !== undefined || READING_BEFORE.test(normalised.slice(Math.max(0, at - 14), at));
  if (!reading && !words.test(normalised)) return undefined;
  return Number(m[1]) + (m[2] === ' y medio' ? 0.5 : m[3] ? Number(m[3]) / 10 : 0);
}

/**
 * Emergency detection runs before anything else, as plain rules on the normalised text: a
 * statistical model must never be the thing that decides whether someone is told to call 911.
 */
export class EmergencyRules {
  private readonly rules: { id: string; patterns: RegExp[]; unless: RegExp[] }[];
  /** Every rule's last pattern in one expression: most messages match none, and then no rule can fire. */
  private readonly gate: RegExp;
  private readonly feverWords: RegExp;
  private readonly fever: EmergencyFile['fever']['rules'];

  constructor(file: EmergencyFile) {
    this.rules = file.rules.map((r) => ({
      id: r.id,
      patterns: r.patterns.map((p) => new RegExp(p)),
      unless: (r.unless ?? []).map((p) => new RegExp(p)),
    }));
    this.gate = new RegExp(file.rules.map((r) => `(?:${r.patterns[r.patterns.length - 1]})`).join('|'));
    this.feverWords = new RegExp(`\\b(${file.fever.words})`);
    this.fever = [...file.fever.rules].sort((a, b) => a.maxAgeMonths - b.maxAgeMonths);
  }

  /**
   * The id of the first rule that fires, if any; and whether the message tells of a past episode
   * (then no rule but suicide fires, and the classifier must not call an emergency either).
   * `celsius` is the temperature the message states (see temperature()); `subjectMonths` the age of
   * the person the conversation is about, for a fever told without it.
   */
  match(
    normalised: string,
    celsius: number | undefined,
    people: People,
    subjectMonths?: number,
  ): { rule: string | undefined; past: boolean } {
    // A person under a year is a baby for the rules that name babies ("my 4 month old won't feed").
    const infant = people.persons.some((p) => p.ageMonths !== undefined && p.ageMonths <= INFANT_MONTHS);
    const text = ` ${infant ? 'bebe ' : ''}${normalised} `;
    const past = PAST.test(text);
    const fired = !this.gate.test(text)
      ? undefined
      : this.rules.find(
          (r) =>
            (!past || r.id.startsWith('suicide')) &&
            r.patterns.every((p) => p.test(text)) &&
            !r.unless.some((p) => p.test(text)),
        );
    return {
      rule:
        fired?.id ??
        (past ? undefined : this.feverRule(text.replace(WEATHER, ' '), celsius, people, subjectMonths)),
      past,
    };
  }

  /** The highest body temperature the message states, in °C. */
  temperature(raw: string, normalised = ''): number | undefined {
    return temperatureIn(raw, this.feverWords, normalised);
  }

  /** Fever by age: the youngest person the message names decides which threshold applies. */
  private feverRule(
    text: string,
    celsius: number | undefined,
    people: People,
    subjectMonths?: number,
  ): string | undefined {
    const hasWord = this.feverWords.test(text);
    let months: number | undefined;
    const consider = (who: string, age: number | undefined) => {
      const category = categoryOf(who);
      // "the baby has 38.2" after the baby's age was given: the age of the conversation's person
      const m =
        age ??
        (category === 'baby' || category === 'child'
          ? (subjectMonths ?? (category === 'baby' ? BABY_MONTHS : CHILD_MONTHS))
          : undefined);
      if (m !== undefined && (months === undefined || m < months)) months = m;
    };
    // "tiene 39" in a conversation about a 2-month-old is the baby's temperature, not someone aged 39.
    const babyOfTheConversation = subjectMonths !== undefined && subjectMonths <= INFANT_MONTHS;
    const persons = babyOfTheConversation
      ? people.persons.filter((p) => !(p.ageBare && p.who === 'third'))
      : people.persons;
    for (const p of persons) consider(p.who, p.ageMonths);
    if (people.asked) consider(people.asked.who, undefined);
    if (people.topics.group === 'children') consider('child', undefined);
    // "marca 38.6" in a conversation about a 6-week-old: the baby of the last turns.
    if (months === undefined && !persons.length) months = subjectMonths;
    if (months === undefined) return undefined;
    // "mi bebé de 2 meses tiene 39": for a baby, a bare number a temperature can be is one
    if (celsius === undefined && months <= INFANT_MONTHS) {
      const bare = BARE_READING.exec(text);
      if (bare) celsius = Number(bare[2]);
    }
    const named = hasWord && this.feverNamed(text);
    if (!named && celsius === undefined) return undefined;
    for (const rule of this.fever) {
      if (months > rule.maxAgeMonths) continue;
      if (celsius !== undefined ? celsius >= rule.minCelsius : named && rule.anyFever) return rule.id;
    }
    return undefined;
  }

  /** A fever word that is not denied or hypothetical ("no tiene fiebre", "si le da fiebre", "in case of fever"). */
  private feverNamed(text: string): boolean {
    const words = text.trim().split(' ');
    return words.some((w, i) => {
      if (!this.feverWords.test(` ${w} `)) return false;
      const before = words.slice(Math.max(0, i - 4), i);
      return !before.some((b) => /^(no|sin|si|if|not|without|ni|caso|cuando|when|sometimes|normal)$/.test(b));
    });
  }
}
