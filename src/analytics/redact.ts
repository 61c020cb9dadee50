/**
 * Questions the bot did not understand are kept so content editors can see what people ask, but
 * only as text nobody can be reached or identified by (issue 15, item 9): e-mail addresses, CURP
 * and RFC, phone numbers and any other run of 7 or more digits (NSS, card numbers), street
 * addresses and the name after "me llamo", "soy", "my name is" are replaced, and the text is
 * normalised so the same question written twice is counted once.
 */

/** Longest text kept, in characters: enough for a question, not for a life story. */
export const MISSED_MAX_LENGTH = 200;
/** Longest text looked at: a pasted page is cut first, so redacting it stays cheap. */
const INPUT_MAX_LENGTH = 1_000;

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
/**
 * 7+ digits, in any script, possibly split by spaces, dots, commas, dashes (any of them), underscores,
 * slashes or parentheses ("55 1234-5678", "+52 (55)…", "55_1234_5678", "55–1234–5678").
 */
const LONG_NUMBER = /\+?\(?\p{Nd}(?:[\s()./,_\p{Pd}]*\p{Nd}){6,}\)?/gu;
/** CURP (4 letters, birth date, sex, state, 3 consonants, 2 more) and RFC (3–4 letters, date, 3 more): the shape, loosely. */
const CURP = /(?<![\p{L}\p{N}])\p{L}{4}\p{Nd}{6}\p{L}{6}[\p{L}\p{Nd}]\p{Nd}(?![\p{L}\p{N}])/gu;
const RFC = /(?<![\p{L}\p{N}])\p{L}{3,4}\p{Nd}{6}[\p{L}\p{Nd}]{3}(?![\p{L}\p{N}])/gu;
/**
 * An address: from "calle", "av.", "col.", "número 12", "#12", "mi domicilio"… to the end of its
 * clause (a question or exclamation mark, a semicolon, or a comma that does not go on with the
 * address). Pragmatic: a few words too many go with it rather than a house number too few.
 */
const ADDRESS =
  /(?<![\p{L}\p{N}])(?:(?:calle|avenida|boulevard|calzada|privada|colonia|fraccionamiento|andador|cerrada|callejon|callejón|(?:mi|my) (?:direcci[oó]n|domicilio|address))(?![\p{L}\p{N}])|(?:av|ave|blvd|calz|priv|col|fracc|c)\.|av(?= )|col(?= )|(?:n[uú]mero|num\.?|no\.|n[oº]|#)\s*(?=\p{Nd}))[^?!;\n,]*(?:,\s*(?:col\b|colonia|c\.?\s?p\b|cp\b|n[uú]m|no\.|#|int\b|ext\b|entre\b)[^?!;\n,]*)*/giu;
/** A name after "me llamo", "soy", "my name is": up to 4 words (see redactNames for which). */
const NAME =
  /(?<![\p{L}\p{N}])(me llamo|mi nombre es|my name is|i am|i'm|i’m|im|soy)\s+((?:[\p{L}'’-]+)(?:\s+[\p{L}'’-]+){0,3})/giu;
/** After "soy" / "I'm", words that say what someone is, not who: "soy diabética", "soy de Monterrey". */
const NOT_A_NAME =
  /^(de|del|la|el|los|las|un|una|yo|muy|tan|mayor|adult[oa]|diab[eé]tic[oa]|diabetic|hipertens\p{L}*|embarazada|maestr[oa]|m[eé]dic[oa]|enfermer[oa]|doctor[a]?|estudiante|paciente|derechohabiente|trabajador[a]?|person[a]?|nuev[oa]|mam[aá]|pap[aá]|madre|padre|abuel[oa]|asm[aá]tic[oa]|al[eé]rgic[oa]|cuidador[a]?|tambi[eé]n|also|pregnant|a|an|the|not|from|over|under|years?|looking|trying|going|asking|so|very|just|still|here|ok|okay|fine|sorry|confused|worried|new|in|on|at|with|a|afiliad[oa]|jubilad[oa]|pensionad[oa])$/iu;
/** Words that end a name: "me llamo maria lopez y quiero saber". */
const AFTER_NAME =
  /^(y|e|o|and|or|but|pero|que|quiero|quisiera|necesito|tengo|me|mi|donde|dónde|cuando|cuándo|como|cómo|where|when|how|what|i|soy|para|por|porque|no|si|sí|and|am|is|tiene|a|al|en|with|con)$/iu;
/** Invisible and control characters (zero-width joiners, direction marks): nothing to show, easy to hide digits with. */
const INVISIBLE = /[\p{Cc}\p{Cf}]/gu;

const ANY_DIGIT = /\p{Nd}/u;

const REDACTED_EMAIL = '[email]';
const REDACTED_NUMBER = '[número]';
const REDACTED_ID = '[id]';
const REDACTED_ADDRESS = '[dirección]';
const REDACTED_NAME = '[nombre]';

/**
 * "soy Juan Pérez, dónde me vacuno" → "soy [nombre], dónde me vacuno"; "soy diabética" stays.
 * After "me llamo" or "my name is" the words up to a connector are the name, whatever their case;
 * after "soy" or "I'm" the first word is (unless it says what someone is), then capitalised ones.
 */
function redactNames(text: string): string {
  return text.replace(NAME, (whole, intro: string, name: string) => {
    const words = name.split(/\s+/);
    if (NOT_A_NAME.test(words[0] ?? '')) return whole;
    const loose = /^(soy|i'm|i’m|im|i am)$/i.test(intro);
    let kept = 1;
    while (kept < words.length) {
      const w = words[kept] ?? '';
      if (AFTER_NAME.test(w) || (loose && !/^\p{Lu}/u.test(w))) break;
      kept++;
    }
    const rest = words.slice(kept).join(' ');
    return `${intro} ${REDACTED_NAME}${rest ? ` ${rest}` : ''}`;
  });
}

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
  clean = redactNames(clean);
  if (ANY_DIGIT.test(clean)) {
    // CURP and RFC whole, before their digits alone would leave letters that name and date a person;
    // long numbers before addresses, so "mi número es 55…" stays a phone number, not an address.
    clean = clean.replace(CURP, REDACTED_ID).replace(RFC, REDACTED_ID).replace(LONG_NUMBER, REDACTED_NUMBER);
  }
  clean = clean.replace(ADDRESS, REDACTED_ADDRESS);
  clean = clean.toLowerCase().replace(/\s+/g, ' ').trim();
  // Cut on a code point boundary (never half an emoji); redaction came first, so a cut cannot undo it.
  return [...clean].slice(0, MISSED_MAX_LENGTH).join('').trim();
}
