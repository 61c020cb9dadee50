import type { Option } from '../core/messages.js';

/**
 * Answers to a numbered list: "2", "2.", "#2", "opción 2", "dos", "the second", or words of an
 * option's label ("horarios" for "Horarios y fechas", "si" for "Sí"). Anything else is left to
 * the core's NLU as ordinary text.
 */

/** Number words people type instead of digits, up to the longest menu we show. */
const NUMBER_WORDS = new Map<string, number>([
  ...['uno', 'dos', 'tres', 'cuatro', 'cinco', 'seis', 'siete', 'ocho', 'nueve', 'diez'].map(
    (w, i) => [w, i + 1] as const,
  ),
  ['un', 1],
  ['una', 1],
  ...[
    'primero',
    'segundo',
    'tercero',
    'cuarto',
    'quinto',
    'sexto',
    'septimo',
    'octavo',
    'noveno',
    'decimo',
  ].map((w, i) => [w, i + 1] as const),
  ['primer', 1],
  ['primera', 1],
  ['segunda', 2],
  ['tercer', 3],
  ['tercera', 3],
  ...['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'].map(
    (w, i) => [w, i + 1] as const,
  ),
  ...['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth'].map(
    (w, i) => [w, i + 1] as const,
  ),
]);

/** Words around a choice that do not change it ("la opción 2", "number 3 please"). */
const FILLER = new Set([
  'el',
  'la',
  'los',
  'las',
  'lo',
  'de',
  'del',
  'y',
  'a',
  'me',
  'mi',
  'en',
  'que',
  'opcion',
  'numero',
  'num',
  'quiero',
  'por',
  'favor',
  'porfa',
  'the',
  'option',
  'number',
  'please',
  'of',
  'and',
  'to',
  'i',
  'want',
]);

/** A choice by label words is a short answer; a longer message is a question for the NLU. */
const MAX_LABEL_WORDS = 3;

/** Lowercase, accents and punctuation off, split on spaces. */
export function words(text: string): string[] {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
}

/** Singular and plural match ("horario" / "horarios", "fecha" / "fechas"). */
const stem = (w: string) => (w.length > 4 ? w.replace(/(es|s)$/, '') : w);

/** The offered option the text picks, or undefined when it is not an answer to the list. */
export function pickOption(text: string, offered: readonly Option[]): Option | undefined {
  if (offered.length === 0) return undefined;
  const all = words(text);
  if (all.length === 0) return undefined;
  const meaningful = all.filter((w) => !FILLER.has(w));

  // By number: the whole message is one number, maybe with filler ("opción 2", "la dos").
  if (meaningful.length === 1) {
    const w = meaningful[0] as string;
    const n = /^\d{1,2}$/.test(w) ? Number(w) : NUMBER_WORDS.get(w);
    if (n !== undefined) return offered[n - 1];
  }

  // By label: the whole message is one option's full label ("No", "Sí", "English")…
  const exact = offered.filter((o) => words(o.label).join(' ') === all.join(' '));
  if (exact.length === 1) return exact[0];

  // …or a few of its words, found in that option only ("horarios", "prevenir", "frecuentes").
  if (meaningful.length === 0 || meaningful.length > MAX_LABEL_WORDS) return undefined;
  const wanted = meaningful.map(stem);
  const matches = offered.filter((o) => {
    const label = new Set(words(o.label).map(stem));
    return wanted.every((w) => label.has(w));
  });
  return matches.length === 1 ? matches[0] : undefined;
}
