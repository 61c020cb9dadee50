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
  const card = (channel: 'telegram' | 'whatsapp', link: string, svg: string | undefined, extra = '') => `
      <figure class="card">
        <figcaption class="channel">${channel === 'telegram' ? 'Telegram' : 'WhatsApp'}</figcaption>
        <div class="qr" role="img" aria-label="QR ${channel === 'telegram' ? 'Telegram' : 'WhatsApp'}">${svg ?? ''}</div>
        <p class="how">${both(channel)}</p>
        ${extra}
        <p class="link"><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>
      </figure>`;
  const cards: string[] = [];
  if (links.telegram) cards.push(card('telegram', links.telegram, qr.telegram));
  if (links.whatsapp && links.whatsappText && links.whatsappNumber) {
    const manual = both('whatsapp_manual', { message: links.whatsappText, number: links.whatsappNumber });
    cards.push(card('whatsapp', links.whatsapp, qr.whatsapp, `<p class="how">${manual}</p>`));
  }
  const promoter = name?.trim() ? `<p class="promoter">${both('promoter', { name: name.trim() })}</p>` : '';

  return `<!doctype html>
<html lang="es">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(es('promoter.poster.page_title', { code: links.code }))}</title>
<style>
  @page { size: A4 portrait; margin: 10mm 12mm; }
  * { box-sizing: border-box; }
  html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { margin: 0 auto; max-width: 186mm; font-family: "Helvetica Neue", Arial, "Liberation Sans", sans-serif;
         color: #111; font-size: 10.5pt; line-height: 1.3; }
  header { border-bottom: 3px solid #1b5e20; padding-bottom: 2mm; margin-bottom: 3mm; }
  .brand { font-size: 24pt; font-weight: 700; color: #1b5e20; margin: 0; }
  .campaign { margin: 0; font-size: 11pt; }
  h1 { font-size: 19pt; margin: 0 0 1.5mm; }
  h2 { font-size: 14pt; margin: 0 0 1.5mm; }
  .about { margin-bottom: 3mm; }
  .about.en { color: #333; font-size: 10pt; }
  .about p { margin: 0 0 1mm; }
  .about ul { margin: 0; padding-left: 6mm; }
  .cards { display: flex; gap: 8mm; justify-content: center; margin: 2mm 0; break-inside: avoid; }
  .card { flex: 1 1 0; max-width: 90mm; margin: 0; border: 1px solid #999; border-radius: 3mm; padding: 4mm;
          text-align: center; break-inside: avoid; }
  .card .channel { display: block; }
  .channel { font-size: 16pt; font-weight: 700; }
  .qr svg { display: block; width: 55mm; height: 55mm; margin: 1mm auto; }
  .how { margin: 1mm 0; font-size: 9.5pt; }
  .link { margin: 2mm 0 0; font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 7.5pt;
          overflow-wrap: anywhere; }
  .link a { color: inherit; text-decoration: none; }
  .en { color: #444; }
  .scan { text-align: center; font-size: 12pt; font-weight: 700; margin: 2mm 0; }
  footer { border-top: 1px solid #999; margin-top: 3mm; padding-top: 2mm; text-align: center; break-inside: avoid; }
  footer p { margin: 1mm 0; }
  .promoter { font-size: 12pt; font-weight: 700; }
  @media screen { body { margin-top: 10mm; } }
</style>
</head>
<body>
<header>
  <p class="brand">VacunaBot</p>
  <p class="campaign">${both('campaign')}</p>
</header>
<main>
  ${about(es, 'es')}
  ${about(en, 'en')}
  <p class="scan">${both('scan')}</p>
  <div class="cards">${cards.join('')}
  </div>
</main>
<footer>
  ${promoter}
  <p class="code">${both('code', { code: links.code })}</p>
  <p class="emergency">${both('emergency')}</p>
</footer>
</body>
</html>
`;
}
