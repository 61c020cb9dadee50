/**
 * The printed poster as Chromium lays it out: how many A4 pages its PDF has, how much of the printable
 * height the content takes, and the smallest type. Used by poster.chromium.test.ts; run it directly to
 * look at a poster: `node --import tsx test/promoters/poster-page.ts <poster.html> <out.png> [out.pdf]`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import puppeteer from 'puppeteer-core';
import { POSTER_PAGE } from '../../src/promoters/poster.js';

export interface PosterLayout {
  /** Pages of the PDF Chromium prints (A4, the poster's @page rule). */
  pages: number;
  /** Content height (header top to footer bottom) over the printable height. */
  fill: number;
  /** Font size in points of every element holding text, by a short selector; the URL lines apart. */
  textPt: { selector: string; lang: string; pt: number }[];
  linkPt: number;
  /** Printed size of each QR code (quiet zone included), in millimetres. */
  qrMm: number[];
  /** A PNG of each QR code as laid out (96 dpi), to read back as a phone would. */
  qrPng: Uint8Array[];
  /** Boxes whose content does not fit them (text running over the QR codes, or off the page). */
  overflowing: string[];
}

/**
 * Run in the page (a string: the project's TypeScript has no DOM types): the content's extent, and the
 * font size of every element with text of its own.
 */
const MEASURE = `(() => {
  const top = document.querySelector('header')?.getBoundingClientRect().top ?? 0;
  const bottom = document.querySelector('footer')?.getBoundingClientRect().bottom ?? 0;
  const textPt = [];
  let linkPt = Infinity;
  for (const el of document.body.querySelectorAll('*')) {
    if (![...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim())) continue;
    if (el.classList.contains('sep')) continue; // the · between the languages
    if (getComputedStyle(el).display === 'none') continue;
    const pt = parseFloat(getComputedStyle(el).fontSize) * 0.75;
    const selector = el.tagName.toLowerCase() + (el.className ? '.' + el.className : '');
    if (el.closest('.link')) linkPt = Math.min(linkPt, pt);
    else textPt.push({ selector, lang: el.closest('[lang]')?.lang ?? '', pt });
  }
  const qrBoxes = [...document.querySelectorAll('.qr svg')].map((q) => {
    const r = q.getBoundingClientRect();
    return { x: r.x, y: r.y, width: r.width, height: r.height };
  });
  // The page has a fixed height and the QR codes a minimum: text that does not fit runs over them rather
  // than onto a second page, so every box must hold its content.
  const overflowing = [document.body, ...document.querySelectorAll('main, .cards, .card, .card > *')]
    .filter((el) => el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1)
    .map((el) => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''));
  return { extent: bottom - top, textPt, linkPt, qrBoxes, overflowing };
})()`;

/** CSS pixels per millimetre (96 per inch). */
const PX_PER_MM = 96 / 25.4;

export async function posterLayout(
  html: string,
  options: { executablePath: string; png?: string; pdf?: string; timeoutMs?: number },
): Promise<PosterLayout> {
  const timeout = options.timeoutMs ?? 30_000;
  const browser = await puppeteer.launch({
    executablePath: options.executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    timeout,
  });
  const pid = browser.process()?.pid;
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(timeout);
    // The poster is self-contained: nothing is fetched, so 'load' is the whole page.
    await page.setContent(html, { waitUntil: 'load' });
    const pdf = Buffer.from(await page.pdf({ preferCSSPageSize: true, printBackground: true }));
    if (options.pdf) writeFileSync(options.pdf, pdf);
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-z])/g)?.length ?? 0;
    // The printable area at print media: the layout the PDF page has, as a picture of it.
    const { widthMm, heightMm, marginMm } = POSTER_PAGE;
    const width = Math.round((widthMm - 2 * marginMm) * PX_PER_MM);
    const height = Math.round((heightMm - 2 * marginMm) * PX_PER_MM);
    await page.emulateMediaType('print');
    await page.setViewport({ width, height, deviceScaleFactor: 3 });
    if (options.png) await page.screenshot({ path: options.png as `${string}.png`, fullPage: true });
    const measured = (await page.evaluate(MEASURE)) as {
      extent: number;
      textPt: PosterLayout['textPt'];
      linkPt: number;
      qrBoxes: { x: number; y: number; width: number; height: number }[];
      overflowing: string[];
    };
    const qrPng: Uint8Array[] = [];
    for (const clip of measured.qrBoxes) qrPng.push(await page.screenshot({ clip }));
    return {
      pages,
      fill: measured.extent / height,
      textPt: measured.textPt,
      linkPt: measured.linkPt,
      qrMm: measured.qrBoxes.map((b) => b.height / PX_PER_MM),
      qrPng,
      overflowing: measured.overflowing,
    };
  } finally {
    // Bounded: a browser that does not close is killed by its pid.
    const closed = await Promise.race([
      browser.close().then(
        () => true,
        () => false,
      ),
      new Promise<boolean>((resolve) => setTimeout(resolve, 5_000, false).unref()),
    ]);
    if (!closed && pid) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, png, pdf] = process.argv.slice(2);
  if (!file || !png) {
    console.error('usage: node --import tsx test/promoters/poster-page.ts <poster.html> <out.png> [out.pdf]');
    process.exit(2);
  }
  const layout = await posterLayout(readFileSync(file, 'utf8'), {
    executablePath: process.env.PUPPETEER_EXECUTABLE_PATH ?? '/usr/bin/chromium',
    png,
    ...(pdf ? { pdf } : {}),
  });
  const min = Math.min(...layout.textPt.map((t) => t.pt));
  console.log(
    `pages ${layout.pages} · overflowing [${layout.overflowing.join(', ')}] · fill ${(layout.fill * 100).toFixed(1)}% · smallest text ${min.toFixed(1)} pt · URL ${layout.linkPt.toFixed(1)} pt · QR ${layout.qrMm.map((mm) => mm.toFixed(0)).join(', ')} mm`,
  );
}
