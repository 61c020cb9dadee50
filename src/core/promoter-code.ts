/** A promoter code: letters A–Z, digits, "-" and "_", 1 to 64 characters (what Telegram allows in a /start payload). */
export const PROMOTER_CODE = /^[A-Za-z0-9_-]{1,64}$/;

/** This many digits make a code a phone number, whatever else it has ("+52 1 55…" is 12 or 13). */
const PHONE_DIGITS = 10;
/** A code of this many digits or more, mostly digits, is a phone or an identifier too ("55-1234-567"). */
const MOSTLY_DIGITS = 7;

/**
 * A code that looks like a phone number ("5215512345678", "55-1234-5678") is personal data, not a
 * promoter's code: it is neither counted as a referral nor kept in the session (issue 15, item 9).
 */
export function looksLikePhone(code: string): boolean {
  const digits = code.replace(/\D/g, '').length;
  const letters = code.replace(/[^A-Za-z]/g, '').length;
  return digits >= PHONE_DIGITS || (digits >= MOSTLY_DIGITS && digits > 2 * letters);
}

/** A well-formed promoter code that is not personal data: "PROMO-123", "BRIGADA_7". */
export function isPromoterCode(code: string): boolean {
  return PROMOTER_CODE.test(code) && !looksLikePhone(code);
}
