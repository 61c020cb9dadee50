import type { Lang, Lexicon } from './lexicon.js';
import { type People, PeopleExtractor } from './people.js';
import { PhraseIndex } from './phrases.js';

/** A day the message asks about: an ISO weekday (1 = Monday), or one relative to today. */
export type DayRef = { kind: 'weekday'; weekday: number } | { kind: 'today' | 'tomorrow' | 'weekend' };

/** What a message is about when it is outside the domain. */
export type OffTopic =
  | 'animal'
  | 'other-vaccine'
  | 'service'
  | 'place'
  | 'topic'
  | 'translation'
  | 'personal-data';

export interface Entities {
  /** Who the message is about and what it says of each person. */
  people: People;
  vaccines?: string[];
  postalCode?: string;
  /** The language the person asks to be answered in ("contéstame en inglés"), not every language named. */
  targetLang?: Lang;
  /** targetLang comes from a request or a refusal ("contéstame en inglés", "no entiendo inglés"), not a bare name. */
  langRequest?: boolean;
  /** A bare number, for dialog steps that expect one. */
  number?: number;
  day?: DayRef;
  yes?: boolean;
  no?: boolean;
  none?: boolean;
  unsure?: boolean;
  /** "no perdón, tengo 52", "me equivoqué", "sorry I meant": replaces what was said before. */
  correction?: boolean;
  /** "y …?", "and …?", "what about …", "también …": leans on the previous turn. */
  followUp?: boolean;
  /** The message names vaccination (vacuna, shot, dosis…): it is in the domain whatever else it names. */
  vaccination?: boolean;
  /** Being ill now, a symptom or a treatment ("tiene mocos", "estoy tomando antibiótico"). */
  illness?: boolean;
  offTopic?: OffTopic;
}

type Mark =
  | { kind: 'vaccine'; id: string }
  | { kind: 'lang'; id: Lang }
  | { kind: 'off'; id: OffTopic }
  | { kind: 'illness' }
  | { kind: 'yes' | 'no' | 'none' | 'unsure' };

const WEEKDAYS: Record<string, number> = {
  lunes: 1,
  martes: 2,
  miercoles: 3,
  jueves: 4,
  viernes: 5,
  sabado: 6,
  sabados: 6,
  domingo: 7,
  domingos: 7,
  monday: 1,
  tuesday: 2,
  wednesday: 3,
  thursday: 4,
  friday: 5,
  saturday: 6,
  saturdays: 6,
  sunday: 7,
  sundays: 7,
};
const VACCINATION =
  /^(vacun|vaccin|vacin|inmuniz|immuniz|inyeccion|piquete|dosis|dose|shot|shots|jab|refuerzo|booster)/;
const CORRECTION =
  /\b(me equivoque|mejor dicho|perdon (son|tengo|tiene|es|era|no)|quise decir|me confundi|corrijo|i meant|sorry (i|she|he|it|its|my)|actually (i|she|he|it|its|my)|my bad|correction)\b|^no (perdon|perdona|espera|mas bien|son|es|tiene|tengo)\b/;
const DENIAL = new Set(['no', 'sin', 'ni', 'ningun', 'ninguna', 'not', 'without']);
const FOLLOW_UP = /^(y|e|and|what about|how about|also|tambien|ademas|plus|igual|y si|and if|entonces)\b/;

/** Phrase lists indexed once; a message is scanned in one pass over its tokens. */
export class EntityExtractor {
  private readonly phrases = new PhraseIndex<Mark>();
  private readonly people: PeopleExtractor;

  constructor(lexicon: Lexicon, tokenize: (phrase: string) => string[]) {
    const add = (list: readonly string[], mark: Mark) => {
      for (const p of list) this.phrases.add(tokenize(p), mark);
    };
    for (const [id, words] of Object.entries(lexicon.vaccines)) add(words, { kind: 'vaccine', id });
    add(lexicon.languages.es, { kind: 'lang', id: 'es' });
    add(lexicon.languages.en, { kind: 'lang', id: 'en' });
    add(lexicon.yes, { kind: 'yes' });
    add(lexicon.no, { kind: 'no' });
    add(lexicon.none, { kind: 'none' });
    add(lexicon.unsure, { kind: 'unsure' });
    add(lexicon.offTopic.animals, { kind: 'off', id: 'animal' });
    add(lexicon.offTopic.otherVaccines, { kind: 'off', id: 'other-vaccine' });
    add(lexicon.offTopic.services, { kind: 'off', id: 'service' });
    add(lexicon.offTopic.places, { kind: 'off', id: 'place' });
    add(lexicon.offTopic.topics, { kind: 'off', id: 'topic' });
    add(lexicon.offTopic.translation, { kind: 'off', id: 'translation' });
    add(lexicon.illness, { kind: 'illness' });
    this.people = new PeopleExtractor(lexicon, tokenize);
  }

  extract(tokens: readonly string[]): Entities {
    const e: Entities = { people: this.people.extract(tokens) };
    let vaccines: Set<string> | undefined;
    const langs: { id: Lang; at: number }[] = [];
    // The first off-topic kind named wins, except that an animal or a translation always does
    // ("la vacuna de la rabia de mi perro", "¿cómo se dice vacuna en inglés?").
    for (const [mark, , at] of this.phrases.matches(tokens)) {
      switch (mark.kind) {
        case 'vaccine':
          vaccines ??= new Set();
          vaccines.add(mark.id);
          break;
        case 'lang':
          langs.push({ id: mark.id, at });
          break;
        case 'off':
          if (!e.offTopic || mark.id === 'animal' || mark.id === 'translation') e.offTopic = mark.id;
          break;
        case 'illness':
          // "tos ferina" is a vaccine, not a cough; "sin fiebre", "no tomo ningún medicamento" deny it
          if (tokens[at] === 'tos' && tokens[at + 1] === 'ferina') break;
          if (DENIAL.has(tokens[at - 1] as string) || DENIAL.has(tokens[at - 2] as string)) break;
          e.illness = true;
          break;
        default:
          e[mark.kind] = true;
      }
    }
    if (vaccines) e.vaccines = [...vaccines];
    if (langs.length) {
      const { lang, explicit } = requestedLanguage(tokens, langs);
      e.targetLang = lang;
      if (explicit) e.langRequest = true;
    }
    // Illness words that are also vaccine names ("gripa", "covid") do not make a message about vaccination.
    if (
      tokens.some((t) => VACCINATION.test(t)) ||
      [...(vaccines ?? [])].some((v) => v !== 'influenza' && v !== 'covid')
    )
      e.vaccination = true;

    const text = tokens.join(' ');
    if (CORRECTION.test(text)) e.correction = true;
    if (FOLLOW_UP.test(text)) e.followUp = true;
    e.day = dayIn(tokens);
    if (!e.day) delete e.day;

    // Numbers only matter when there is a digit: skip the patterns otherwise.
    if (/\d/.test(text)) {
      const postal = /\b(\d{5})\b/.exec(text);
      if (postal) e.postalCode = postal[1];
      const number = /\b(\d{1,3})\b/.exec(text);
      if (number) e.number = Number(number[1]);
    }
    return e;
  }
}

/** Every word dayIn() looks at, so most words are passed over with one lookup. */
const DAY_WORDS = new Set([
  ...Object.keys(WEEKDAYS),
  'fin',
  'fines',
  'weekend',
  'weekends',
  'manana',
  'tomorrow',
  'hoy',
  'today',
  'tonight',
  'ahorita',
]);
const RANGE_WORDS = new Set(['a', 'al', 'hasta', 'to', 'thru', 'through', 'till', 'until']);

/** "mañana", "el sábado", "on sunday", "fin de semana". */
function dayIn(tokens: readonly string[]): DayRef | undefined {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as string;
    if (!DAY_WORDS.has(t)) continue;
    const weekday = WEEKDAYS[t];
    // "trabajo de lunes a viernes": a range describes the person's week, not the day asked about.
    const inRange =
      (RANGE_WORDS.has(tokens[i + 1] as string) && WEEKDAYS[tokens[i + 2] as string]) ||
      (RANGE_WORDS.has(tokens[i - 1] as string) && WEEKDAYS[tokens[i - 2] as string]);
    if (weekday && !inRange) return { kind: 'weekday', weekday };
    if (weekday) continue;
    if (
      ((t === 'fin' || t === 'fines') && tokens[i + 1] === 'de' && tokens[i + 2] === 'semana') ||
      t === 'weekend' ||
      t === 'weekends'
    )
      return { kind: 'weekend' };
    // "mañana" is also "morning" ("en la mañana", "por la mañana"): then it is not a day.
    if (t === 'manana' && tokens[i - 1] !== 'la' && tokens[i - 1] !== 'las') return { kind: 'tomorrow' };
    if (t === 'tomorrow') return { kind: 'tomorrow' };
    if (t === 'hoy' || t === 'today' || t === 'tonight' || t === 'ahorita') return { kind: 'today' };
  }
  return undefined;
}

const REQUEST =
  /^(contesta|contestame|contestar|responde|respondeme|responder|escribe|escribeme|escribir|habla|hablame|hablar|manda|mandame|dime|explica|explicame|cambia|cambiar|pon|ponlo|ponme|answer|reply|respond|write|speak|talk|switch|change|send|tell|explain|prefer|prefiero|quiero|want|please|porfa|favor|puedes|podrias|can|could)$/;
const NOT_UNDERSTOOD =
  /^(entiendo|entiende|entendemos|entender|hablo|habla|hablamos|hablar|leo|lee|leen|leer|understand|speak|read|understands|speaks|reads)$/;

/**
 * Which language the person wants, from the languages the message names: "contéstame en inglés,
 * es para mi cuñado que no lee español" → English; "no entiendo inglés" → Spanish.
 */
function requestedLanguage(
  tokens: readonly string[],
  langs: { id: Lang; at: number }[],
): { lang: Lang; explicit: boolean } {
  const other = (l: Lang): Lang => (l === 'es' ? 'en' : 'es');
  let wanted: Lang | undefined;
  let asked = false;
  let refused: Lang | undefined;
  for (const { id, at } of langs) {
    const before = tokens.slice(Math.max(0, at - 4), at);
    const negated =
      before.some((t) => t === 'no' || t === 'not' || t === 'dont' || t === 'cant') &&
      before.some((t) => NOT_UNDERSTOOD.test(t));
    if (negated) {
      refused ??= id;
      continue;
    }
    // "en inglés", "in English", "a español"; a request verb nearby makes it a request even inside a question
    const prev = tokens[at - 1];
    const request = before.some((t) => REQUEST.test(t));
    if (!wanted && (prev === 'en' || prev === 'in' || prev === 'to' || prev === 'a' || request)) {
      wanted = id;
      asked = request;
    }
  }
  if (wanted) return { lang: wanted, explicit: asked };
  if (refused) return { lang: other(refused), explicit: true };
  // Only names: the last one named ("de inglés a español").
  return { lang: (langs[langs.length - 1] as { id: Lang }).id, explicit: false };
}
