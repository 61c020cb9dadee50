/**
 * Number words to digits, so "sesenta y cinco años" and "seventy two" reach the same age
 * patterns as "65 años". Works on normalised tokens (lowercase, no accents).
 */
const words = (list: string) => list.split(' ');
const UNITS = new Map<string, number>([
  ...words(
    'cero uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince dieciseis diecisiete dieciocho diecinueve veinte',
  ).map((w, i) => [w, i] as const),
  ...words(
    'veintiuno veintidos veintitres veinticuatro veinticinco veintiseis veintisiete veintiocho veintinueve',
  ).map((w, i) => [w, 21 + i] as const),
  ['veintiun', 21],
  ...words(
    'zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty',
  ).map((w, i) => [w, i] as const),
]);
const TENS = new Map<string, number>([
  ...words('treinta cuarenta cincuenta sesenta setenta ochenta noventa').map(
    (w, i) => [w, 30 + 10 * i] as const,
  ),
  ...words('thirty forty fifty sixty seventy eighty ninety').map((w, i) => [w, 30 + 10 * i] as const),
  ['fourty', 40],
]);
const HUNDRED = new Map<string, number>([
  ['cien', 100],
  ['ciento', 100],
  ['hundred', 100],
]);
const JOINERS = new Set(['y', 'and']);

/** Replaces runs of number words with their value; leaves everything else untouched. */
export function numberWordsToDigits(tokens: string[]): string[] {
  if (!tokens.some((t) => UNITS.has(t) || TENS.has(t) || HUNDRED.has(t))) return tokens;
  const at = (i: number) => tokens[i] ?? '';
  const out: string[] = [];
  let i = 0;
  while (i < tokens.length) {
    let j = i;
    let value = 0;
    let seen = false;
    // "one hundred"
    if (UNITS.get(at(j)) === 1 && HUNDRED.has(at(j + 1))) j++;
    if (HUNDRED.has(at(j))) {
      value += 100;
      seen = true;
      j++;
      if (JOINERS.has(at(j)) && (TENS.has(at(j + 1)) || UNITS.has(at(j + 1)))) j++;
    }
    const tens = TENS.get(at(j));
    if (tens !== undefined) {
      value += tens;
      seen = true;
      j++;
      // "sesenta y cinco", "seventy two"
      const joined = JOINERS.has(at(j)) ? UNITS.get(at(j + 1)) : undefined;
      const direct = UNITS.get(at(j));
      if (joined !== undefined && joined > 0 && joined < 10) {
        value += joined;
        j += 2;
      } else if (direct !== undefined && direct > 0 && direct < 10) {
        value += direct;
        j++;
      }
    } else {
      const unit = UNITS.get(at(j));
      if (unit !== undefined) {
        value += unit;
        seen = true;
        j++;
      }
    }
    if (seen) {
      out.push(String(value));
      i = j;
    } else {
      out.push(at(i));
      i++;
    }
  }
  return out;
}
