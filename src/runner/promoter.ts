import { looksLikePhone } from '../core/promoter-code.js';
import { words } from './options.js';

/**
 * Promoter codes in click-to-chat links. WhatsApp has no deep-link payload like Telegram's
 * /start: a link `https://wa.me/<number>?text=<prefilled>` only fills in a draft of the first
 * message, which the person sends (and may edit). Our convention for that text: the word
 * "codigo", "código" or "code", then a space, ":" or "#", then the code (letters, digits, "-",
 * "_", at most 64), e.g. "Hola VacunaBot, código PROMO-123". Any message that follows it counts.
 *
 * A code must contain a letter and a digit: people write "código postal 04510" to this bot, and
 * neither "postal" nor "04510" may be taken for a promoter code. Nor may a phone number
 * ("código 5215512345678", "code 55-1234-5678"): that is personal data (issue 15).
 */
const CODE = /(^|[^\p{L}\p{N}])(?:c[oó]digo|code)(?:\s*[:#]\s*|\s+)([A-Za-z0-9_-]{1,64})(?![A-Za-z0-9_-])/iu;
const HAS_LETTER_AND_DIGIT = /^(?=.*[A-Za-z])(?=.*\d)/;

/** Words that make a prefilled message only a greeting: nothing left to answer after the start. */
const GREETING_ONLY = new Set(
  words(
    'hola holi ola buenas buenos buen dia dias tardes noches que tal saludos hey hi hello good morning afternoon evening vacunabot bot',
  ),
);

export interface PromoterMessage {
  code: string;
  /** The text without the code phrase, to answer normally when it is more than a greeting. */
  rest: string;
}

export function parsePromoter(raw: string): PromoterMessage | undefined {
  // "código" may arrive as "o" + a combining accent.
  const text = raw.normalize('NFC');
  const match = CODE.exec(text);
  const code = match?.[2];
  if (!match || !code || !HAS_LETTER_AND_DIGIT.test(code) || looksLikePhone(code)) return undefined;
  const before = text.slice(0, match.index + (match[1] ?? '').length);
  const rest = `${before} ${text.slice(match.index + match[0].length)}`.replace(/\s+/g, ' ').trim();
  return { code, rest };
}

/** True when the text is empty or only greets ("Hola VacunaBot,"), so the start's greeting is the answer. */
export function isOnlyGreeting(text: string): boolean {
  return words(text).every((w) => GREETING_ONLY.has(w));
}
