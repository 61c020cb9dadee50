/**
 * Number words to digits, so "sesenta y cinco años" and "seventy two" reach the same age
 * patterns as "65 años". Works on normalised tokens (lowercase, no accents).
 */
const UNITS: Record<string, number> = {
  cero: 0,
  uno: 1,
  dos: 2,
  tres: 3,
  cuatro: 4,
  cinco: 5,
  seis: 6,
  siete: 7,
  ocho: 8,
  nueve: 9,
  diez: 10,
  once: 11,
  doce: 12,
  trece: 13,
  catorce: 14,
  quince: 15,
  dieciseis: 16,
  diecisiete: 17,
  dieciocho: 18,
  diecinueve: 19,
  veinte: 20,
  veintiuno: 21,
  veintiun: 21,
  veintidos: 22,
  veintitres: 23,
  veinticuatro: 24,
  veinticinco: 25,
  veintiseis: 26,
  veintisiete: 27,
  veintiocho: 28,
  veintinueve: 29,
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
};
const TENS: Record<string, number> = {
  treinta: 30,
  cuarenta: 40,
  cincuenta: 50,
  sesenta: 60,
  setenta: 70,
  ochenta: 80,
  noventa: 90,
  thirty: 30,
  forty: 40,
  fourty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};
const HUNDRED: Record<string, number> = { cien: 100, ciento: 100, hundred: 100 };
const JOINERS = new Set(['y', 'and']);

/** Replaces runs of number words with their value; leaves everything else untouched. */
export function numberWordsToDigits(tokens: string[]): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < tokens.length) {
    let j = i;
    let value = 0;
    let seen = false;
    // "ciento" / "one hundred"
    if (UNITS[tokens[j] ?? ''] === 1 && HUNDRED[tokens[j + 1] ?? '']) j++;
    if (HUNDRED[tokens[j] ?? '']) {
      value += 100;
      seen = true;
      j++;
      if (
        JOINERS.has(tokens[j] ?? '') &&
        (TENS[tokens[j + 1] ?? ''] || UNITS[tokens[j + 1] ?? ''] !== undefined)
      )
        j++;
    }
    const tens = TENS[tokens[j] ?? ''];
    if (tens) {
      value += tens;
      seen = true;
      j++;
      const unit = UNITS[tokens[j + 1] ?? ''];
      if (JOINERS.has(tokens[j] ?? '') && unit !== undefined && unit > 0 && unit < 10) {
        value += unit;
        j += 2;
      } else if (UNITS[tokens[j] ?? ''] !== undefined && (UNITS[tokens[j] ?? ''] ?? 10) < 10) {
        value += UNITS[tokens[j] ?? ''] ?? 0;
        j++;
      }
    } else {
      const unit = UNITS[tokens[j] ?? ''];
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
      out.push(tokens[i] as string);
      i++;
    }
  }
  return out;
}
