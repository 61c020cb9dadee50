import type { Lang, Lexicon } from './lexicon.js';
import { PhraseIndex } from './phrases.js';

export interface Entities {
  ageMonths?: number;
  pregnant?: boolean;
  pregnancyWeeks?: number;
  conditions?: string[];
  worker?: boolean;
  vaccines?: string[];
  postalCode?: string;
  /** A language named in the message ("english", "en español"). */
  targetLang?: Lang;
  /** A bare number, for dialog steps that expect one. */
  number?: number;
  yes?: boolean;
  no?: boolean;
  none?: boolean;
  unsure?: boolean;
}

const MAX_YEARS = 120;
const MAX_WEEKS = 42;

const RELATIVE =
  '(?:mama|mami|madre|papa|papi|padre|abuel[oa]|abuelit[oa]|hij[oa]|hijit[oa]|bebe|bb|nin[oa]|niet[oa]|espos[oa]|herman[oa]|ti[oa]|suegr[oa]|mom|mother|dad|father|grandma|grandpa|grandmother|grandfather|granny|son|daughter|baby|kid|child|wife|husband|brother|sister|aunt|uncle)';

const YEARS_RE = /\b(\d{1,3}) ?(?:anos|ano|anios|anito|anitos|years?|yrs?|yo|y o|yr old)\b/;
const ONE_YEAR_RE = /\b(?:un|una|1|a|one) (?:ano|year)\b/;
const MONTHS_RE = /\b(\d{1,2}) ?(?:meses|mes|mesesitos|months?|mos?|mths?)\b/;
const WEEKS_RE = /\b(\d{1,2}) ?(?:semanas|semana|sem|sdg|weeks?|wks?)\b/;
const STATED_AGE_RE = new RegExp(
  `\\b(?:tengo|tiene|tienes|tenemos|edad|edad de|i am|i m|im|am|age|aged|is|he is|she is|${RELATIVE}(?: de| is| of| who is)?) (\\d{1,3})\\b(?! ?(?:meses|mes|semanas|semana|months?|weeks?|hijos|kids|children|dias|days|horas|hours|dosis|doses|am|pm|hrs))`,
);
const NEWBORN_RE = /\b(?:recien nacid[oa]|newborn)\b/;
const NEGATED_PREGNANCY_RE =
  /\b(?:no (?:estoy|esta|estas|creo estar) (?:embarazada|encinta)|not pregnant|no embarazada|not expecting)\b/;

type Mark =
  | { kind: 'condition' | 'vaccine'; id: string }
  | { kind: 'lang'; id: Lang }
  | { kind: 'worker' | 'pregnancy' | 'yes' | 'no' | 'none' | 'unsure' };

/** Phrase lists indexed once; a message is scanned in one pass over its tokens. */
export class EntityExtractor {
  private readonly phrases = new PhraseIndex<Mark>();

  constructor(lexicon: Lexicon, tokenize: (phrase: string) => string[]) {
    const add = (list: readonly string[], mark: Mark) => {
      for (const p of list) this.phrases.add(tokenize(p), mark);
    };
    for (const [id, words] of Object.entries(lexicon.conditions)) add(words, { kind: 'condition', id });
    for (const [id, words] of Object.entries(lexicon.vaccines)) add(words, { kind: 'vaccine', id });
    add(lexicon.languages.es, { kind: 'lang', id: 'es' });
    add(lexicon.languages.en, { kind: 'lang', id: 'en' });
    add(lexicon.worker, { kind: 'worker' });
    add(lexicon.pregnancy, { kind: 'pregnancy' });
    add(lexicon.yes, { kind: 'yes' });
    add(lexicon.no, { kind: 'no' });
    add(lexicon.none, { kind: 'none' });
    add(lexicon.unsure, { kind: 'unsure' });
  }

  extract(tokens: readonly string[]): Entities {
    const e: Entities = {};
    // Filled only when the message names some (most name none): no sets to build for nothing.
    let conditions: Set<string> | undefined;
    let vaccines: Set<string> | undefined;
    let pregnancyWords = false;
    let langAt = -1;
    for (const [mark, , at] of this.phrases.matches(tokens)) {
      switch (mark.kind) {
        case 'condition':
          conditions ??= new Set();
          conditions.add(mark.id);
          break;
        case 'vaccine':
          vaccines ??= new Set();
          vaccines.add(mark.id);
          break;
        case 'lang':
          // The language named last wins: "de ingles a español" → es.
          if (at >= langAt) {
            langAt = at;
            e.targetLang = mark.id;
          }
          break;
        case 'pregnancy':
          pregnancyWords = true;
          break;
        case 'worker':
          e.worker = true;
          break;
        default:
          e[mark.kind] = true;
      }
    }
    if (conditions) e.conditions = [...conditions];
    if (vaccines) e.vaccines = [...vaccines];

    const text = ` ${tokens.join(' ')} `;
    if (NEGATED_PREGNANCY_RE.test(text)) e.pregnant = false;
    else if (pregnancyWords) e.pregnant = true;

    // Numbers only matter when there is a digit: skip the patterns otherwise.
    if (/\d/.test(text)) {
      const weeks = WEEKS_RE.exec(text);
      const months = MONTHS_RE.exec(text);
      const years = YEARS_RE.exec(text);
      if (weeks && Number(weeks[1]) <= MAX_WEEKS) {
        // "mi bebé de 3 semanas" is an age; "embarazada de 30 semanas" is a pregnancy
        if (pregnancyWords || !/\b(?:bebe|bb|baby|recien|newborn)\b/.test(text))
          e.pregnancyWeeks = Number(weeks[1]);
        else e.ageMonths = 0;
      }
      // "7 meses de embarazo" is the length of a pregnancy, not an age: weeks are asked instead.
      if (months && !pregnancyWords) e.ageMonths = Number(months[1]);
      if (years && Number(years[1]) <= MAX_YEARS) e.ageMonths = Number(years[1]) * 12 + (e.ageMonths ?? 0);
      if (e.ageMonths === undefined) {
        const stated = STATED_AGE_RE.exec(text);
        if (stated && Number(stated[1]) <= MAX_YEARS) e.ageMonths = Number(stated[1]) * 12;
      }
      const postal = /\b(\d{5})\b/.exec(text);
      if (postal) e.postalCode = postal[1];
      const number = /\b(\d{1,3})\b/.exec(text);
      if (number) e.number = Number(number[1]);
    }
    if (e.ageMonths === undefined) {
      if (ONE_YEAR_RE.test(text)) e.ageMonths = 12;
      else if (NEWBORN_RE.test(text)) e.ageMonths = 0;
    }
    return e;
  }
}
