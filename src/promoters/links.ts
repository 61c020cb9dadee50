import { looksLikePhone, PROMOTER_CODE } from '../core/promoter-code.js';
import { parsePromoter } from '../runner/promoter.js';

/** A code (or name) that cannot be used, with a one-line reason for the person who typed it. */
export class PromoterInputError extends Error {
  override readonly name = 'PromoterInputError';
}

/** Where the bot can be reached; a link is made for each one configured. */
export interface BotAddresses {
  /** TELEGRAM_BOT_USERNAME, without @ */
  telegramBot?: string;
  /** WHATSAPP_NUMBER, international format, digits only */
  whatsappNumber?: string;
}

export interface PromoterLinks {
  code: string;
  /** https://t.me/<bot>?start=<code> */
  telegram?: string;
  /** https://wa.me/<number>?text=<first message, URL-encoded> */
  whatsapp?: string;
  /** The first message the WhatsApp link fills in (the person sends it). */
  whatsappText?: string;
  whatsappNumber?: string;
}

/**
 * The first WhatsApp message: the adapter's convention (src/channels/whatsapp/promoter.ts), the
 * word "código" then the code, after a greeting the adapter answers with the welcome menu.
 */
const whatsAppFirstMessage = (code: string) => `Hola VacunaBot, código ${code}`;

/** Checks a code; throws a PromoterInputError saying what is wrong. */
export function validateCode(code: string, addresses: BotAddresses = {}): void {
  if (!code) throw new PromoterInputError('the promoter code is empty');
  const length = [...code].length;
  if (length > 64) throw new PromoterInputError(`the promoter code has ${length} characters; at most 64`);
  if (!PROMOTER_CODE.test(code)) {
    const bad = [...new Set([...code].filter((c) => !/[A-Za-z0-9_-]/.test(c)))]
      .map((c) => (c === ' ' ? 'a space' : JSON.stringify(c)))
      .join(', ');
    throw new PromoterInputError(
      `the promoter code ${JSON.stringify(code)} may only have letters A-Z without accents, digits, "-" and "_" (not ${bad})`,
    );
  }
  if (looksLikePhone(code))
    throw new PromoterInputError(
      `the promoter code ${JSON.stringify(code)} looks like a phone number: the bot refuses it (use letters, e.g. "PROMO-123")`,
    );
  if (addresses.whatsappNumber && parsePromoter(whatsAppFirstMessage(code))?.code !== code) {
    // People write "código postal 04510" to the bot: the adapter takes a code only with a letter and a digit.
    const example = /\d/.test(code) ? `A${code}` : `${code}1`;
    throw new PromoterInputError(
      `the promoter code ${JSON.stringify(code)} needs at least one letter and one digit to be recognised in a WhatsApp message (e.g. ${example})`,
    );
  }
}

/** The links for a code, one per configured channel. Throws a PromoterInputError for a bad code. */
export function promoterLinks(code: string, addresses: BotAddresses): PromoterLinks {
  validateCode(code, addresses);
  const links: PromoterLinks = { code };
  if (addresses.telegramBot) {
    links.telegram = `https://t.me/${addresses.telegramBot}?start=${encodeURIComponent(code)}`;
  }
  if (addresses.whatsappNumber) {
    const text = whatsAppFirstMessage(code);
    links.whatsapp = `https://wa.me/${addresses.whatsappNumber}?text=${encodeURIComponent(text)}`;
    links.whatsappText = text;
    links.whatsappNumber = addresses.whatsappNumber;
  }
  return links;
}
