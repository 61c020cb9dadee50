/**
 * Questions the bot did not understand are kept so content editors can see what people ask, but
 * only as text nobody can be reached or identified by: e-mail addresses, phone numbers and any
 * other run of 7 or more digits (social security numbers, CURP digits, card numbers) are replaced,
 * and the text is normalised so the same question written twice is counted once.
 */

/** Longest text kept, in characters: enough for a question, not for a life story. */
export const MISSED_MAX_LENGTH = 200;
/** Longest text looked at: a pasted page is cut first, so redacting it stays cheap. */
const INPUT_MAX_LENGTH = 1_000;

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
/** 7+ digits, in any script, possibly split by spaces, dots, dashes, slashes or parentheses ("55 1234-5678", "+52 (55)…"). */
const LONG_NUMBER = /\+?\p{Nd}(?:[\s()./-]*\p{Nd}){6,}/gu;
/** Invisible and control characters (zero-width joiners, direction marks): nothing to show, easy to hide digits with. */
const INVISIBLE = /[\p{Cc}\p{Cf}]/gu;

const ANY_DIGIT = /\p{Nd}/u;

const REDACTED_EMAIL = '[email]';
const REDACTED_NUMBER = '[número]';

/** Redacted, lowercased, trimmed, spaces collapsed, at most MISSED_MAX_LENGTH characters; '' when nothing is left. */
export function redactMissed(text: string): string {
  // A number cut in two by the first cut would escape the 7-digit rule: drop the cut end's digits.
  const head =
    text.length > INPUT_MAX_LENGTH
      ? text.slice(0, INPUT_MAX_LENGTH).replace(/[\p{Nd}\s()./+-]+$/u, '')
      : text;
  let clean = head.normalize('NFKC').replace(INVISIBLE, ' ');
  // The patterns are costly on long text: run each only when its anchor is there.
  if (clean.includes('@')) clean = clean.replace(EMAIL, REDACTED_EMAIL);
  if (ANY_DIGIT.test(clean)) clean = clean.replace(LONG_NUMBER, REDACTED_NUMBER);
  clean = clean.toLowerCase().replace(/\s+/g, ' ').trim();
  // Cut on a code point boundary (never half an emoji); redaction came first, so a cut cannot undo it.
  return [...clean].slice(0, MISSED_MAX_LENGTH).join('').trim();
}
