import type { Translate } from '../core/i18n.js';
import type { Lang } from '../nlu/index.js';
import type { PromoterLinks } from './links.js';

/** Text for HTML content and attribute values. */
export const escapeHtml = (s: string): string =>
  s
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');

export interface PosterInput {
  links: PromoterLinks;
  /** The promoter's name as they want it printed (any text: it is escaped). */
  name?: string;
  /** The QR codes as SVG markup, from qrSvg(), for each link present. */
  qr: { telegram?: string; whatsapp?: string };
  translate: (lang: Lang) => Translate;
}

/** The printed page (A4 portrait) and its margin, in millimetres: the @page rule, and the layout check's page. */
export const POSTER_PAGE = { widthMm: 210, heightMm: 297, marginMm: 8 } as const;

/** Printed QR code sizes (quiet zone included): a phone reads 35 mm at arm's length; past 62 mm adds nothing. */
export const QR_MIN_MM = 35;
export const QR_MAX_MM = 62;

/** Past these (a promoter-and-code line of three lines, links and a WhatsApp line of three), the compact form. */
const LONG_WHO = 100;
const LONG_CODE = 24;

const ANSWERS = ['answer_eligibility', 'answer_facility', 'answer_prevention', 'answer_faq'];

/**
 * A one-page printable poster (A4), Spanish first and English below, with a QR code and the link
 * for each configured channel. Every sentence comes from the locales (promoter.poster.*); the
 * page is self-contained (inline SVG, no web fonts or scripts), so it prints the same offline.
 * Browsers print it to PDF ("Save as PDF").
 */
export function renderPoster({ links, name, qr, translate }: PosterInput): string {
  const es = translate('es');
  const en = translate('en');
  // Each locale string is plain text: escape after interpolation, so a name like "<b>" stays text.
  const both = (key: string, values?: Record<string, string>) =>
    `<span lang="es">${escapeHtml(es(`promoter.poster.${key}`, values))}</span>` +
    `<span class="sep"> · </span><span lang="en" class="en">${escapeHtml(en(`promoter.poster.${key}`, values))}</span>`;
  const about = (t: Translate, lang: Lang) => `
    <section lang="${lang}" class="about ${lang}">
      <h${lang === 'es' ? 1 : 2}>${escapeHtml(t('promoter.poster.title'))}</h${lang === 'es' ? 1 : 2}>
      <p>${escapeHtml(t('promoter.poster.lead'))}</p>
      <ul>${ANSWERS.map((k) => `<li>${escapeHtml(t(`promoter.poster.${k}`))}</li>`).join('')}</ul>
    </section>`;
  const card = (channel: 'telegram' | 'whatsapp', link: string, svg: string | undefined) => `
      <figure class="card">
        <figcaption class="channel">${channel === 'telegram' ? 'Telegram' : 'WhatsApp'}</figcaption>
        <div class="qr" role="img" aria-label="QR ${channel === 'telegram' ? 'Telegram' : 'WhatsApp'}">${svg ?? ''}</div>
        <p class="how">${both(channel)}</p>
        <p class="link"><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>
      </figure>`;
  const cards: string[] = [];
  if (links.telegram) cards.push(card('telegram', links.telegram, qr.telegram));
  let manual = '';
  if (links.whatsapp && links.whatsappText && links.whatsappNumber) {
    cards.push(card('whatsapp', links.whatsapp, qr.whatsapp));
    // Full width under the cards: in the WhatsApp card it made that card twice as tall as the other.
    const values = { message: links.whatsappText, number: links.whatsappNumber };
    manual = `<p class="manual">${both('whatsapp_manual', values)}</p>`;
  }
  // Who and which code on one line per language: the promoter's name, when given, then the code.
  const whoLine = (t: Translate) =>
    [
      ...(name?.trim() ? [t('promoter.poster.promoter', { name: name.trim() })] : []),
      t('promoter.poster.code', { code: links.code }),
    ]
      .map(escapeHtml)
      .join(' · ');
  // A long name or code (up to 120 and 64 characters) takes lines from the rest: all in smaller type, so the
  // text still fits above the QR codes' minimum size.
  const long = whoLine(es).length > LONG_WHO || links.code.length > LONG_CODE;
  const { widthMm, heightMm, marginMm } = POSTER_PAGE;

  // Sized to be read from a couple of metres on an A4 sheet on a wall (it was 10 pt, a fifth of the page empty):
  // the Spanish at 18 pt or more, the English under it at 13 pt, the QR codes as large as the page allows;
  // test/promoters/poster.chromium.test.ts measures it as Chromium prints it.
  return `<!doctype html>
<html lang="es">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(es('promoter.poster.page_title', { code: links.code }))}</title>
<style>
  @page { size: A4 portrait; margin: ${marginMm}mm; }
  * { box-sizing: border-box; }
  html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  /* The page's printable height (1 mm short, so rounding never adds a blank page); the QR codes take what the
     text leaves, so the page is filled and a long name or code shrinks them rather than spilling over. */
  body { display: flex; flex-direction: column; height: ${heightMm - 2 * marginMm - 1}mm;
         margin: 0 auto; max-width: ${widthMm - 2 * marginMm}mm; font-family: "Helvetica Neue", Arial, "Liberation Sans", sans-serif;
         color: #111; font-size: 18pt; line-height: 1.1; overflow-wrap: anywhere; }
  p { margin: 0; }
  .sep { display: none; }
  .en { display: block; color: #444; font-weight: 400; font-size: 13pt; }
  header { background: #1b5e20; color: #fff; border-radius: 2mm; padding: 1.5mm 3mm; margin-bottom: 2.5mm; }
  .campaign { font-size: 18pt; font-weight: 700; }
  .campaign .sep, .campaign .en { display: inline; color: #fff; font-size: 12pt; }
  h1 { font-size: 25pt; line-height: 1.05; margin: 0 0 1.5mm; color: #1b5e20; }
  h2 { font-size: 16pt; margin: 0 0 0.5mm; }
  .about { margin-bottom: 2.5mm; }
  .about.en { color: #333; font-size: 13pt; }
  .about ul { margin: 0.5mm 0 0; padding-left: 6mm; }
  .about.en ul { padding-left: 5mm; }
  .scan { text-align: center; font-size: 22pt; font-weight: 700; margin-bottom: 2mm; }
  main { flex: 1 1 0; min-height: 0; display: flex; flex-direction: column; }
  /* One grid for the cards' rows (subgrid): both QR codes the same size, whichever card says more. */
  .cards { flex: 1 1 0; min-height: 0; display: grid; grid-auto-flow: column; grid-auto-columns: minmax(0, 95mm);
           grid-template-rows: auto minmax(${QR_MIN_MM}mm, 1fr) auto auto; column-gap: 6mm; justify-content: center;
           break-inside: avoid; }
  .card { grid-row: span 4; display: grid; grid-template-rows: subgrid; row-gap: 0; margin: 0; min-height: 0;
          border: 2px solid #777; border-radius: 3mm; padding: 1.5mm 3mm 2mm; text-align: center; break-inside: avoid; }
  .card .channel { display: block; font-size: 20pt; font-weight: 700; }
  .qr { min-height: 0; }
  .qr svg { display: block; height: 100%; max-height: ${QR_MAX_MM}mm; width: auto; aspect-ratio: 1; margin: 0 auto; }
  .how { font-size: 18pt; font-weight: 700; }
  .link { margin-top: 1mm; font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 8pt;
          line-height: 1.1; word-break: break-all; }
  .link a { color: inherit; text-decoration: none; }
  .manual { margin-top: 2mm; text-align: center; font-size: 18pt; }
  footer { border-top: 2px solid #777; margin-top: 2.5mm; padding-top: 1.5mm; text-align: center; break-inside: avoid; }
  .who { font-size: 18pt; font-weight: 700; }
  .long .about, .long .manual, .long .how { zoom: 0.9; }
  .long .who { font-size: 13pt; }
  .long footer .en { font-size: 10pt; }
  .emergency { font-size: 20pt; font-weight: 700; margin-top: 1.5mm; }
  @media screen { body { margin-top: 10mm; } }
</style>
</head>
<body${long ? ' class="long"' : ''}>
<header>
  <p class="campaign">${both('campaign')}</p>
</header>
<main>
  ${about(es, 'es')}
  ${about(en, 'en')}
  <p class="scan">${both('scan')}</p>
  <div class="cards">${cards.join('')}
  </div>
  ${manual}
</main>
<footer>
  <p class="who" lang="es">${whoLine(es)}</p>
  <p class="en" lang="en">${whoLine(en)}</p>
  <p class="emergency">${both('emergency')}</p>
</footer>
</body>
</html>
`;
}
