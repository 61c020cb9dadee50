import type { Lexicon } from './lexicon.js';
import { PhraseIndex } from './phrases.js';

export type Sex = 'f' | 'm';

/**
 * Who a message is about: `self`, a relation from the lexicon (`mother`, `son`…), `third` for
 * "tiene 70 y es diabético" with nobody named (the person of the last turns), or `?` (UNMARKED) for
 * facts with no person at all ("son 7 meses").
 */
export type Who = string;

/** Facts with no person before them: the person the conversation is about, or the writer. */
export const UNMARKED = '?';

/** What a message says about one person. Undefined means "not said". */
export interface PersonFacts {
  who: Who;
  sex?: Sex;
  ageMonths?: number;
  /** The age was a bare number ("tiene 58", "son 28"): a correction may mean weeks of pregnancy. */
  ageBare?: boolean;
  pregnant?: boolean;
  pregnancyWeeks?: number;
  /** [] when the message says "none". */
  conditions?: string[];
  /** Conditions the message denies ("no es diabético"): removed from what was known. */
  notConditions?: string[];
  worker?: boolean;
}

export interface People {
  /** The people the message tells facts about, in order of mention (the first is the main one). */
  persons: PersonFacts[];
  /** A person asked about without facts ("¿le toca a mi mamá?"), when nobody has facts. */
  asked?: { who: Who; sex?: Sex };
  /** Pregnancy or health work named as a topic, not as a fact about someone. */
  topics: { pregnancy: boolean; worker: boolean; group?: string };
}

/** How old a relation usually is: decides which ages to consider and whether pregnancy can apply. */
type Category = 'baby' | 'child' | 'adult' | 'parent' | 'elder' | 'any';

const CATEGORY: Record<string, Category> = {
  baby: 'baby',
  son: 'child',
  daughter: 'child',
  child: 'child',
  grandchild: 'child',
  'niece-nephew': 'child',
  mother: 'parent',
  father: 'parent',
  parents: 'parent',
  'mother-in-law': 'parent',
  'father-in-law': 'parent',
  grandmother: 'elder',
  grandfather: 'elder',
  wife: 'adult',
  husband: 'adult',
  partner: 'adult',
  aunt: 'adult',
  uncle: 'adult',
};
export const categoryOf = (who: Who): Category => CATEGORY[who] ?? 'any';

const SEX_OF_RELATION: Record<string, Sex> = {
  son: 'm',
  daughter: 'f',
  mother: 'f',
  father: 'm',
  grandmother: 'f',
  grandfather: 'm',
  wife: 'f',
  husband: 'm',
  'mother-in-law': 'f',
  'father-in-law': 'm',
  sister: 'f',
  brother: 'm',
  aunt: 'f',
  uncle: 'm',
};
/** Words whose own form says the sex where the relation does not. */
const SEX_OF_WORD: Record<string, Sex> = {
  bebito: 'm',
  bebesito: 'm',
  nene: 'm',
  bebita: 'f',
  bebesita: 'f',
  nena: 'f',
  'recien nacida': 'f',
  nieto: 'm',
  nieta: 'f',
  grandson: 'm',
  granddaughter: 'f',
  sobrino: 'm',
  sobrina: 'f',
  nephew: 'm',
  niece: 'f',
  primo: 'm',
  prima: 'f',
  novia: 'f',
  novio: 'm',
  girlfriend: 'f',
  boyfriend: 'm',
  amiga: 'f',
  amigo: 'm',
  vecina: 'f',
  vecino: 'm',
  comadre: 'f',
  compadre: 'm',
  companera: 'f',
  companero: 'm',
  empleada: 'f',
  empleado: 'm',
};

const DETERMINERS = new Set(
  'mi mis my su sus tu tus el la los las un una a an our nuestro nuestra nuestros his her their este esta al del this'.split(
    ' ',
  ),
);
/** Words that name a relation only after "mi"/"my": "mi señora" is a wife, "la señora" is anyone. */
const POSSESSIVE_ONLY = new Set(['mujer', 'senora', 'senor', 'vieja', 'viejo', 'jefa', 'jefe']);
const FIRST_PERSON = new Set([
  'yo',
  'tengo',
  'soy',
  'estoy',
  'padezco',
  'sufro',
  'quede',
  'cumplo',
  'am',
  'have',
]);
const THIRD_PERSON = new Set([
  'tiene',
  'es',
  'esta',
  'padece',
  'sufre',
  'quedo',
  'cumple',
  'is',
  'has',
  'she',
  'he',
]);
const ASK_SELF = /(^|\b)(y yo|y a mi|y para mi|yo que|and me|and for me|what about me|how about me|and i)\b/;
/** Words around a number that make it a time ago, not an age. */
const SINCE = new Set([
  'hace',
  'desde',
  'durante',
  'since',
  'for',
  'ago',
  'en',
  'in',
  'cada',
  'every',
  'despues',
  'after',
  'antes',
  'before',
]);
const FEVER_WORD =
  /^(fiebre|fever|temperatura|temperature|temp|calentura|marca|says|reads|termometro|thermometer)$/;
/** "nació hace 2 meses", "was born 3 weeks ago": a time since birth is an age. */
const BORN = /^(naci|nacio|nacido|nacida|born)$/;
const AGO = new Set(['ago', 'atras', 'antes', 'before', 'later', 'despues']);
const NEGATIONS = new Set(['no', 'sin', 'ni', 'not', 'without', 'nunca', 'never', 'tampoco']);

const MAX_YEARS = 120;
const MAX_WEEKS = 42;
const YEAR_UNITS = new Set(['ano', 'anos', 'anios', 'anito', 'anitos', 'year', 'years', 'yo', 'yrs', 'yr']);
const MONTH_UNITS = new Set(['mes', 'meses', 'mesesitos', 'month', 'months', 'mos', 'mo', 'mths']);
const WEEK_UNITS = new Set(['semana', 'semanas', 'sem', 'sdg', 'week', 'weeks', 'wks', 'wk']);
const DAY_UNITS = new Set(['dia', 'dias', 'day', 'days', 'diitas']);
/** What a bare number after "tiene"/"is" must not be followed by to count as an age. */
const NOT_AGE_AFTER = new Set([
  'hijos',
  'hijas',
  'kids',
  'children',
  'horas',
  'hours',
  'hrs',
  'dosis',
  'doses',
  'am',
  'pm',
  'grados',
  'degrees',
  'de',
  'kilos',
  'kg',
  'pesos',
  'minutos',
  'minutes',
  'veces',
  'times',
  'vacunas',
  'vaccines',
]);
const AGE_VERBS = new Set([
  'tengo',
  'tiene',
  'tienes',
  'cumple',
  'cumplo',
  'edad',
  'am',
  'is',
  'aged',
  'age',
  'de',
  'of',
]);
const PREGNANCY_ASSERT = new Set([
  'estoy',
  'esta',
  'estas',
  'quede',
  'quedo',
  'salio',
  'sali',
  'soy',
  'am',
  'is',
  'are',
  'ando',
  'anda',
  'got',
  'was',
  'become',
]);
const WORKER_ASSERT = new Set([
  'soy',
  'es',
  'como',
  'am',
  'is',
  'as',
  'trabajo',
  'trabaja',
  'work',
  'works',
  'de',
]);
const SELF_SEX: Record<string, Sex> = {
  hombre: 'm',
  mujer: 'f',
  senora: 'f',
  senor: 'm',
  senorita: 'f',
  chava: 'f',
  chavo: 'm',
  man: 'm',
  guy: 'm',
  male: 'm',
  dude: 'm',
  woman: 'f',
  female: 'f',
  lady: 'f',
  girl: 'f',
  mama: 'f',
  papa: 'm',
  mom: 'f',
  dad: 'm',
  abuela: 'f',
  abuelo: 'm',
  grandma: 'f',
  grandpa: 'm',
  embarazada: 'f',
  enfermera: 'f',
  enfermero: 'm',
  medica: 'f',
  medico: 'm',
  doctora: 'f',
  diabetica: 'f',
  diabetico: 'm',
  hipertensa: 'f',
  hipertenso: 'm',
  asmatica: 'f',
  asmatico: 'm',
  obesa: 'f',
  obeso: 'm',
  paramedica: 'f',
  paramedico: 'm',
  pensionada: 'f',
  pensionado: 'm',
  jubilada: 'f',
  jubilado: 'm',
  esposo: 'm',
  esposa: 'f',
  sano: 'm',
  sana: 'f',
  sanito: 'm',
  sanita: 'f',
  marido: 'm',
  hijo: 'm',
  hija: 'f',
  husband: 'm',
  wife: 'f',
  son: 'm',
  daughter: 'f',
};

type Fact =
  | { kind: 'age'; months: number; bare?: boolean }
  | { kind: 'weeks'; weeks: number }
  | { kind: 'pregnant'; value: boolean }
  | { kind: 'condition'; id: string; negated: boolean }
  | { kind: 'none' }
  | { kind: 'worker' }
  | { kind: 'sex'; sex: Sex };

type Mark =
  | { kind: 'relation'; id: string }
  | { kind: 'group'; id: string }
  | { kind: 'condition'; id: string }
  | { kind: 'pregnancy' }
  | { kind: 'worker' }
  | { kind: 'workerPhrase' };

/** The token at i, or '' outside the message. */
const tok = (tokens: readonly string[], i: number) => tokens[i] ?? '';
const PREGNANCY_WORD = /^(embaraz|pregnan|gestacion|encinta)/;
/** A pregnancy word within three words of i ("7 meses de embarazo"). */
function pregnancyNear(tokens: readonly string[], i: number): boolean {
  for (let k = -3; k <= 3; k++) if (k !== 0 && PREGNANCY_WORD.test(tok(tokens, i + k))) return true;
  return false;
}

/** Words that can carry a fact without a phrase: numbers, "un año", "recién nacido", "ninguna", "soy mujer". */
const FACT_WORDS = /^(\d+|un|una|a|one|recien|newborn|ninguna|ninguno|none|sano|sana|sanito|sanita|healthy)$/;
const mayHoldFact = (t: string) => FACT_WORDS.test(t) || SELF_SEX[t] !== undefined;

const isNumber = (t: string | undefined) => t !== undefined && /^\d{1,3}$/.test(t);

/** A word for a baby ("bebé", "bebito", "recién nacida", "newborn"). */
const BABY_WORD = /^(bebe|bb|baby|recien|newborn|nacid|infant|bebit|nene|nena)/;
/**
 * A child named before a number of weeks is a baby that age ("mi hija de 6 semanas"); not "son",
 * which is Spanish too ("son 28 semanas").
 */
const isChildWord = (t: string) =>
  BABY_WORD.test(t) || /^(hij|nin[oa]|daughter|girl|boy|niet|grand(son|daughter)|chamac|chiquit)/.test(t);
const WEEKS_PER_MONTH = 4.35;

/**
 * A baby named before position i ("mi bebé de 2 meses tiene 39", "mi niña de 6 semanas tiene 39"):
 * a baby word, or an age in weeks or days, that is not a pregnancy.
 */
function babyBefore(tokens: readonly string[], i: number): boolean {
  for (let k = 0; k < i; k++) {
    const t = tokens[k] as string;
    if (BABY_WORD.test(t)) return true;
    if (
      isNumber(t) &&
      (WEEK_UNITS.has(tok(tokens, k + 1)) || DAY_UNITS.has(tok(tokens, k + 1))) &&
      [-4, -3, -2, -1].some((d) => isChildWord(tok(tokens, k + d))) &&
      !tokens.some((w) => PREGNANCY_WORD.test(w))
    )
      return true;
  }
  return false;
}

/**
 * Finds who a message is about and what it says of each person: ages, pregnancy, conditions,
 * health work, sex. Facts go to the person whose mention or verb comes before them ("tengo 35 y mi
 * hijo 4" → me 35, my son 4; "tiene 70 mi papá" → my father 70).
 */
export class PeopleExtractor {
  private readonly phrases = new PhraseIndex<Mark>();

  constructor(lexicon: Lexicon, tokenize: (phrase: string) => string[]) {
    const add = (list: readonly string[], mark: Mark) => {
      for (const p of list) this.phrases.add(tokenize(p), mark);
    };
    for (const [id, words] of Object.entries(lexicon.relations)) add(words, { kind: 'relation', id });
    for (const [id, words] of Object.entries(lexicon.groups)) add(words, { kind: 'group', id });
    for (const [id, words] of Object.entries(lexicon.conditions)) add(words, { kind: 'condition', id });
    add(lexicon.pregnancy, { kind: 'pregnancy' });
    add(lexicon.worker, { kind: 'worker' });
    add(lexicon.workerPhrases, { kind: 'workerPhrase' });
  }

  extract(tokens: readonly string[]): People {
    /** Who each position's facts belong to, found as we go. */
    const mentions: { pos: number; who: Who; sex?: Sex }[] = [];
    const facts: { pos: number; fact: Fact }[] = [];
    const topics: People['topics'] = { pregnancy: false, worker: false };
    const covered = new Set<number>();

    // Longest phrase first at each position, so "obesidad morbida" is not also "obesidad".
    const found = this.phrases.matches(tokens);
    // Most messages name nobody and no fact: no number, no phrase, nothing to assign.
    if (!found.length && !tokens.some(mayHoldFact)) return this.askedOnly(tokens, mentions, [], topics);
    found.sort((a, b) => a[2] - b[2] || b[1] - a[1]);
    // "my 3 year old", "our 6 month old": a child named by their age alone
    for (let i = 0; i + 3 < tokens.length; i++) {
      if (!/^(my|our|mi)$/.test(tokens[i] as string) || !isNumber(tokens[i + 1])) continue;
      const unit = tok(tokens, i + 2);
      if (tok(tokens, i + 3) !== 'old' && tok(tokens, i + 4) !== 'old') continue;
      if (YEAR_UNITS.has(unit)) mentions.push({ pos: i, who: 'child' });
      else if (MONTH_UNITS.has(unit) || WEEK_UNITS.has(unit) || DAY_UNITS.has(unit))
        mentions.push({ pos: i, who: 'baby' });
    }
    for (const [mark, length, pos] of found) {
      if (covered.has(pos)) continue;
      const words = tokens.slice(pos, pos + length).join(' ');
      const prev = tok(tokens, pos - 1);
      switch (mark.kind) {
        case 'relation': {
          // "mi señora" is a wife; "qué padre" is not a father: relation words need a determiner.
          const possessive = prev === 'mi' || prev === 'my' || prev === 'mis';
          if (
            POSSESSIVE_ONLY.has(words)
              ? !possessive
              : !DETERMINERS.has(prev) && !isNumber(tok(tokens, pos + 2))
          )
            continue;
          let sex = SEX_OF_WORD[words] ?? SEX_OF_RELATION[mark.id];
          if (mark.id === 'patient' || mark.id === 'other') sex ??= prev === 'una' ? 'f' : undefined;
          mentions.push({ pos, who: mark.id, sex });
          break;
        }
        case 'group':
          // "los niños de 3 años" is a group; "mi niño" was a relation (longer or earlier match);
          // "soy personal de salud" is a fact about the writer (the worker mark at the same place).
          if (prev === 'mi' || prev === 'my' || WORKER_ASSERT.has(prev)) continue;
          topics.group ??= mark.id;
          if (mark.id === 'pregnant') topics.pregnancy = true;
          if (mark.id === 'worker') topics.worker = true;
          // Facts after a group belong to it: "los diabéticos de 50 años", "la gente de 50 años".
          mentions.push({ pos, who: `group:${mark.id}` });
          // "los diabéticos" is also the condition: leave its words to the condition match
          if (mark.id === 'chronic') continue;
          break;
        case 'condition': {
          const negated = [1, 2, 3].some(
            (k) => NEGATIONS.has(tok(tokens, pos - k)) && tok(tokens, pos - k + 1) !== 'se',
          );
          facts.push({ pos, fact: { kind: 'condition', id: mark.id, negated } });
          break;
        }
        case 'pregnancy': {
          const value = this.pregnancyAt(tokens, pos, length);
          if (value === undefined) topics.pregnancy = true;
          else facts.push({ pos, fact: { kind: 'pregnant', value } });
          break;
        }
        case 'worker':
          // "soy enfermera", "I'm a 40 y/o nurse", "trabajo como médico": asserted a few words before
          if (
            WORKER_ASSERT.has(prev) ||
            (DETERMINERS.has(prev) && WORKER_ASSERT.has(tok(tokens, pos - 2))) ||
            tokens.slice(Math.max(0, pos - 6), pos).some((w) => w === 'soy' || w === 'am')
          ) {
            facts.push({ pos, fact: { kind: 'worker' } });
          } else topics.worker = true;
          break;
        case 'workerPhrase':
          facts.push({ pos, fact: { kind: 'worker' } });
          break;
      }
      for (let k = 0; k < length; k++) covered.add(pos + k);
    }
    this.numbers(tokens, facts);
    this.selfSex(tokens, facts);
    facts.sort((a, b) => a.pos - b.pos);
    mentions.sort((a, b) => a.pos - b.pos);
    return this.assign(tokens, mentions, facts, topics);
  }

  /** true/false when the message asserts or denies a pregnancy; undefined when it only names the topic. */
  private pregnancyAt(tokens: readonly string[], pos: number, length: number): boolean | undefined {
    const before = [tok(tokens, pos - 1), tok(tokens, pos - 2), tok(tokens, pos - 3)];
    const negated = before.slice(0, 2).includes('no') || before.slice(0, 2).includes('not');
    const asserted =
      PREGNANCY_ASSERT.has(before[0] as string) ||
      (before[0] === 'mi' && /embarazo|pregnancy/.test(tok(tokens, pos))) ||
      // "embarazada de 30 semanas", "30 weeks pregnant", "tengo 20 semanas de embarazo"
      (tok(tokens, pos + length) === 'de' && isNumber(tok(tokens, pos + length + 1))) ||
      // "30 weeks pregnant", "7 meses de embarazo" — with the number: "semana de embarazo" alone is a topic
      ((WEEK_UNITS.has(before[0] as string) || MONTH_UNITS.has(before[0] as string)) &&
        isNumber(before[1])) ||
      (before[0] === 'de' &&
        (WEEK_UNITS.has(before[1] as string) || MONTH_UNITS.has(before[1] as string)) &&
        isNumber(before[2])) ||
      (PREGNANCY_ASSERT.has(before[1] as string) &&
        ['muy', 'ya', 'now', 'currently', 'still'].includes(before[0] as string));
    if (negated && (asserted || PREGNANCY_ASSERT.has(before[1] as string))) return false;
    return asserted ? true : undefined;
  }

  /** Ages, pregnancy weeks and "none" from the numbers and words of the message. */
  private numbers(tokens: readonly string[], facts: { pos: number; fact: Fact }[]): void {
    for (let i = 0; i < tokens.length; i++) {
      const t = tok(tokens, i);
      // "estoy sano", "she is healthy": no condition
      if (
        /^(sano|sana|sanito|sanita|healthy)$/.test(t) &&
        /^(estoy|esta|soy|es|anda|ando|is|am|are|muy|bien)$/.test(tok(tokens, i - 1))
      )
        facts.push({ pos: i, fact: { kind: 'none' } });
      if (t === 'ninguna' || t === 'ninguno' || t === 'none') {
        if (
          /^(enfermedad|condicion|condition|padecimiento)/.test(tok(tokens, i + 1)) ||
          i === 0 ||
          tok(tokens, i - 1) === 'no'
        )
          facts.push({ pos: i, fact: { kind: 'none' } });
      }
      if ((t === 'recien' && /^nacid/.test(tok(tokens, i + 1))) || t === 'newborn') {
        facts.push({ pos: i, fact: { kind: 'age', months: 0 } });
        continue;
      }
      // "un año", "a year old", "año y medio"
      if (
        (t === 'un' || t === 'una' || t === 'a' || t === 'one') &&
        (tok(tokens, i + 1) === 'ano' || tok(tokens, i + 1) === 'year')
      ) {
        const half = tok(tokens, i + 2) === 'y' && tok(tokens, i + 3) === 'medio';
        facts.push({ pos: i, fact: { kind: 'age', months: half ? 18 : 12 } });
        continue;
      }
      // "de mes y medio", "un mes", "one month old": a baby's first weeks
      if (
        (t === 'mes' || t === 'mesecito' || t === 'month') &&
        /^(de|un|una|a|one|su|el)$/.test(tok(tokens, i - 1)) &&
        !/^(del|este|next|last|pasado|proximo)$/.test(tok(tokens, i - 2))
      ) {
        facts.push({ pos: i, fact: { kind: 'age', months: 1 } });
        continue;
      }
      if (!isNumber(t)) continue;
      // "son 7 meses, no 7 años": the denied one is not a fact
      if (tok(tokens, i - 1) === 'no' || tok(tokens, i - 1) === 'not') continue;
      // "desde hace tres años", "8 months ago": how long ago, not how old; but "nació hace 2 meses" is an age
      const born = [1, 2, 3].some((k) => BORN.test(tok(tokens, i - k)));
      if (born) {
        const unit = tok(tokens, i + 1);
        const n = Number(t);
        const months = YEAR_UNITS.has(unit)
          ? n * 12
          : MONTH_UNITS.has(unit)
            ? n
            : WEEK_UNITS.has(unit) || DAY_UNITS.has(unit)
              ? 0
              : undefined;
        if (months !== undefined) facts.push({ pos: i, fact: { kind: 'age', months } });
        continue;
      }
      if (SINCE.has(tok(tokens, i - 1)) || AGO.has(tok(tokens, i + 2))) continue;
      // "fever of 39", "fiebre de 38", "temperatura de 39": a temperature, not an age
      if (FEVER_WORD.test(tok(tokens, i - 2)) || FEVER_WORD.test(tok(tokens, i - 1))) continue;
      const n = Number(t);
      // "40 y/o" reads as "40 y o"
      const unit = tok(tokens, i + 1) === 'y' && tok(tokens, i + 2) === 'o' ? 'yo' : tok(tokens, i + 1);
      if (YEAR_UNITS.has(unit) && n <= MAX_YEARS) {
        // "3 años y 4 meses"
        const extra =
          tok(tokens, i + 2) === 'y' && isNumber(tok(tokens, i + 3)) && MONTH_UNITS.has(tok(tokens, i + 4))
            ? Number(tok(tokens, i + 3))
            : 0;
        const half = tok(tokens, i + 2) === 'y' && tok(tokens, i + 3) === 'medio' ? 6 : 0;
        facts.push({ pos: i, fact: { kind: 'age', months: n * 12 + extra + half } });
      } else if (MONTH_UNITS.has(unit)) {
        if (pregnancyNear(tokens, i + 1))
          facts.push({ pos: i, fact: { kind: 'weeks', weeks: Math.min(MAX_WEEKS, Math.round(n * 4.33)) } });
        else if (n <= 36) facts.push({ pos: i, fact: { kind: 'age', months: n } });
      } else if (WEEK_UNITS.has(unit) && n <= MAX_WEEKS) {
        // "mi bebé de 6 semanas", "mi hija de 6 semanas", "my 7 week old": an age; weeks said of a
        // woman, or with a pregnancy word anywhere, are weeks of pregnancy
        const baby =
          tok(tokens, i + 2) === 'old' ||
          ([-4, -3, -2, -1].some((k) => isChildWord(tok(tokens, i + k))) &&
            !tokens.some((w) => PREGNANCY_WORD.test(w)));
        if (baby) facts.push({ pos: i, fact: { kind: 'age', months: Math.floor(n / WEEKS_PER_MONTH) } });
        else facts.push({ pos: i, fact: { kind: 'weeks', weeks: n } });
      } else if (DAY_UNITS.has(unit) && n <= 60) {
        const baby = [-4, -3, -2, -1, 2, 3].some((k) => BABY_WORD.test(tok(tokens, i + k)));
        if (baby) facts.push({ pos: i, fact: { kind: 'age', months: n >= 30 ? 1 : 0 } });
      } else if (
        n <= MAX_YEARS &&
        !NOT_AGE_AFTER.has(unit) &&
        !/^\d/.test(unit) &&
        // "tiene 38 y medio", "38 y pico": a temperature; and so is "tiene 39" said of a baby
        !(unit === 'y' && /^(medio|pico)$/.test(tok(tokens, i + 2))) &&
        !(n >= 35 && n <= 42 && babyBefore(tokens, i)) &&
        unit !== 'punto' &&
        (AGE_VERBS.has(tok(tokens, i - 1)) || this.isRelationWord(tok(tokens, i - 1)))
      ) {
        // "tiene 58", "mi papá 72", "my dad is 66": a bare number after these is an age in years
        // ("mi hermano, el de 64": a relation just before counts too)
        const relationBefore = [2, 3, 4].some((k) => this.isRelationWord(tok(tokens, i - k)));
        if (
          tok(tokens, i - 1) === 'de' &&
          !relationBefore &&
          !this.isRelationWord(tok(tokens, i - 2)) &&
          !AGE_VERBS.has(tok(tokens, i - 2))
        )
          continue;
        if (tok(tokens, i - 1) === 'is' && /^(it|this|there|that)$/.test(tok(tokens, i - 2))) continue;
        facts.push({ pos: i, fact: { kind: 'age', months: n * 12, bare: true } });
      }
    }
  }

  private isRelationWord(t: string): boolean {
    return /^(mama|mami|madre|papa|papi|padre|abuel|hij|bebe|nin[oa]|niet|espos|marido|herman|ti[oa]$|suegr|primo|prima|sobrin|mom|mother|dad|father|grand|son|daughter|baby|kid|child|wife|husband|brother|sister|aunt|uncle|cousin|paciente|patient|senor|senora|novi|alguien|persona$|someone|somebody|person$|amig[oa]$|vecin[oa]$|compadre|comadre|friend|neighbou?r)/.test(
      t,
    );
  }

  /** "soy mujer", "I'm a guy", "soy enfermera", "estoy embarazada": the writer's sex, when said. */
  private selfSex(tokens: readonly string[], facts: { pos: number; fact: Fact }[]): void {
    for (let i = 1; i < tokens.length; i++) {
      const sex = SELF_SEX[tokens[i] as string];
      if (!sex) continue;
      // "soy mujer", "soy una señora de 60", "I'm a 34 year old guy": a first-person verb a few words before
      const before = tokens.slice(Math.max(0, i - 5), i);
      const asserted =
        (before.includes('soy') || before.includes('estoy') || before.includes('am')) &&
        !before.some((t) => this.isRelationWord(t));
      if (asserted) facts.push({ pos: i, fact: { kind: 'sex', sex } });
    }
  }

  /** Gives each fact to a person: the mention or first/third-person verb nearest before it. */
  private assign(
    tokens: readonly string[],
    mentions: { pos: number; who: Who; sex?: Sex }[],
    facts: { pos: number; fact: Fact }[],
    topics: People['topics'],
  ): People {
    // Most messages tell no facts: only who is asked about, if anyone.
    if (!facts.length) return this.askedOnly(tokens, mentions, [], topics);
    const byWho = new Map<Who, PersonFacts>();
    const order: Who[] = [];
    const person = (who: Who, sex?: Sex): PersonFacts => {
      let p = byWho.get(who);
      if (!p) {
        p = { who };
        byWho.set(who, p);
        order.push(who);
      }
      if (sex && !p.sex) p.sex = sex;
      return p;
    };
    const mentionBefore = (pos: number) => {
      let found: (typeof mentions)[number] | undefined;
      for (const m of mentions) if (m.pos <= pos) found = m;
      return found;
    };
    for (const { pos, fact } of facts) {
      // The nearest marker before the fact: a named person, a first-person verb, or a third-person one.
      let who: Who | undefined;
      let sex: Sex | undefined;
      for (let i = pos; i >= 0 && who === undefined; i--) {
        const m = mentions.find((x) => x.pos === i);
        if (m) {
          who = m.who;
          sex = m.sex;
        } else if (
          i < pos &&
          FIRST_PERSON.has(tokens[i] as string) &&
          !(tokens[i] === 'have' && tokens[i - 1] !== 'i')
        ) {
          who = 'self';
        } else if (i < pos && THIRD_PERSON.has(tokens[i] as string)) {
          const m2 = mentionBefore(i);
          if (m2) {
            who = m2.who;
            sex = m2.sex;
          } else {
            const next = mentions.find((x) => x.pos > pos && x.pos - pos <= 4);
            who = next ? next.who : 'third';
            sex = next?.sex;
          }
        }
      }
      if (who === undefined) {
        // Nothing before it: "70 años mi mamá" belongs to the person named right after; else whoever the
        // conversation is about ("me equivoqué, son 7 meses"), which the caller knows.
        const next = mentions.find((x) => x.pos > pos && x.pos - pos <= 3);
        who = next ? next.who : UNMARKED;
        sex = next?.sex;
      }
      if (fact.kind === 'sex' && who !== 'self' && who !== UNMARKED) continue;
      const p = person(who, sex);
      switch (fact.kind) {
        case 'age':
          p.ageMonths = fact.months;
          if (fact.bare) p.ageBare = true;
          else delete p.ageBare;
          break;
        case 'weeks':
          p.pregnancyWeeks = fact.weeks;
          p.pregnant = true;
          break;
        case 'pregnant':
          p.pregnant = fact.value;
          if (!fact.value) p.pregnancyWeeks = undefined;
          break;
        case 'condition':
          if (fact.negated) p.notConditions = [...(p.notConditions ?? []), fact.id];
          else p.conditions = [...new Set([...(p.conditions ?? []), fact.id])];
          break;
        case 'none':
          p.conditions ??= [];
          break;
        case 'worker':
          p.worker = true;
          break;
        case 'sex':
          p.sex = fact.sex;
          break;
      }
      if (p.pregnant) p.sex = 'f';
    }
    for (const p of byWho.values()) {
      if (p.conditions?.includes('morbid-obesity'))
        p.conditions = p.conditions.filter((c) => c !== 'obesity');
      if (p.pregnancyWeeks === undefined) delete p.pregnancyWeeks;
    }
    const persons = order.map((w) => byWho.get(w) as PersonFacts).filter((p) => Object.keys(p).length > 1);
    return this.askedOnly(tokens, mentions, persons, topics);
  }

  /** The people with facts, and who is asked about when nobody has facts ("¿le toca a mi mamá?", "¿y yo?"). */
  private askedOnly(
    tokens: readonly string[],
    mentions: { pos: number; who: Who; sex?: Sex }[],
    persons: PersonFacts[],
    topics: People['topics'],
  ): People {
    const people: People = { persons, topics };
    // "¿y yo?", "and me?", "what about me": the writer, asked about without new facts.
    if (!persons.length && ASK_SELF.test(tokens.join(' '))) {
      people.asked = { who: 'self' };
      return people;
    }
    if (!persons.some((p) => p.who !== 'self' || hasFacts(p))) {
      // Nobody has facts: the person the question is about, if one is named ("¿le toca a mi mamá?").
      const asked = mentions.find(
        (m) => m.who !== 'other' || tokens[m.pos - 1] === 'una' || tokens[m.pos - 1] === 'un',
      );
      if (asked) people.asked = { who: asked.who, sex: asked.sex };
    }
    return people;
  }
}

/** Whether a person record says anything that changes an answer. */
export const hasFacts = (p: PersonFacts) =>
  p.ageMonths !== undefined ||
  p.pregnant !== undefined ||
  p.pregnancyWeeks !== undefined ||
  p.conditions !== undefined ||
  (p.notConditions?.length ?? 0) > 0 ||
  p.worker !== undefined;
