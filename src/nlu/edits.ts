/**
 * One-edit typo matching, shared by the word normaliser and the place names: a word's single
 * deletions index it (symmetric delete), and a candidate is confirmed by the distance itself.
 */

/** The word with each one letter left out. */
export const deletions = (w: string) =>
  Array.from({ length: w.length }, (_, i) => w.slice(0, i) + w.slice(i + 1));

/** Optimal string alignment distance ≤ 1 (one insertion, deletion, substitution or swap of neighbours). */
export function withinOneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // substitution
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // transposition
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}
