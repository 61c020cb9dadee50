import type { Lang, Lexicon } from './lexicon.js';

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

/** Phrase lists compiled once: matching is a substring test on space-padded normalised text. */
export class EntityExtractor {
  private readonly pad = (list: readonly string[]) => list.map((p) => ` ${p} `);
  private readonly conditions: [string, string[]][];
  private readonly vaccines: [string, string[]][];
  private readonly worker: string[];
  private readonly pregnancy: string[];
  private readonly languages: [Lang, string[]][];
  private readonly yes: string[];
  private readonly no: string[];
  private readonly none: string[];
  private readonly unsure: string[];

  constructor(lexicon: Lexicon, normalizePhrase: (p: string) => string) {
    const norm = (list: readonly string[]) => this.pad(list.map(normalizePhrase));
    this.conditions = Object.entries(lexicon.conditions).map(([id, words]) => [id, norm(words)]);
    this.vaccines = Object.entries(lexicon.vaccines).map(([id, words]) => [id, norm(words)]);
    this.worker = norm(lexicon.worker);
    this.pregnancy = norm(lexicon.pregnancy);
    this.languages = [
      ['es', norm(lexicon.languages.es)],
      ['en', norm(lexicon.languages.en)],
    ];
    this.yes = norm(lexicon.yes);
    this.no = norm(lexicon.no);
    this.none = norm(lexicon.none);
    this.unsure = norm(lexicon.unsure);
  }

  extract(tokens: readonly string[]): Entities {
    const text = ` ${tokens.join(' ')} `;
    const has = (list: readonly string[]) => list.some((p) => text.includes(p));
    const e: Entities = {};

    const pregnancyWords = has(this.pregnancy);
    if (NEGATED_PREGNANCY_RE.test(text)) e.pregnant = false;
    else if (pregnancyWords) e.pregnant = true;

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
    else if (ONE_YEAR_RE.test(text) && e.ageMonths === undefined) e.ageMonths = 12;
    if (e.ageMonths === undefined) {
      const stated = STATED_AGE_RE.exec(text);
      if (stated && Number(stated[1]) <= MAX_YEARS) e.ageMonths = Number(stated[1]) * 12;
      else if (NEWBORN_RE.test(text)) e.ageMonths = 0;
    }

    const conditions = this.conditions.filter(([, words]) => has(words)).map(([id]) => id);
    if (conditions.length) e.conditions = conditions;
    if (has(this.worker)) e.worker = true;
    const vaccines = this.vaccines.filter(([, words]) => has(words)).map(([id]) => id);
    if (vaccines.length) e.vaccines = vaccines;

    const postal = /\b(\d{5})\b/.exec(text);
    if (postal) e.postalCode = postal[1];
    const number = /\b(\d{1,3})\b/.exec(text);
    if (number) e.number = Number(number[1]);

    // The language named last wins: "de ingles a español" → es.
    let lastAt = -1;
    for (const [lang, words] of this.languages) {
      for (const w of words) {
        const at = text.lastIndexOf(w);
        if (at > lastAt) {
          lastAt = at;
          e.targetLang = lang;
        }
      }
    }

    if (has(this.yes)) e.yes = true;
    if (has(this.no)) e.no = true;
    if (has(this.none)) e.none = true;
    if (has(this.unsure)) e.unsure = true;
    return e;
  }
}
