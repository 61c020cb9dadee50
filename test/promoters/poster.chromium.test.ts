import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTranslator } from '../../src/core/i18n.js';
import { writePromoterKit } from '../../src/promoters/kit.js';
import { QR_MIN_MM } from '../../src/promoters/poster.js';
import { tempDir } from '../harness.js';
import { posterLayout } from './poster-page.js';

/**
 * The poster as Chromium prints it (Debian's; skipped where there is none, as CI says): one A4 page,
 * filled, with type read from a couple of metres and QR codes a phone reads at that size.
 * `node --import tsx test/promoters/poster-page.ts <poster.html> <out.png>` draws the page to look at.
 */
const CHROMIUM = process.env.PUPPETEER_EXECUTABLE_PATH ?? '/usr/bin/chromium';
const translate = createTranslator('locales');
const BOTH = { telegramBot: 'VacunaBot', whatsappNumber: '5215555550100' };
const jsQR = jsQRModule.default;

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => {
  tmp = tempDir();
});
afterAll(() => tmp.cleanup());

async function laidOut(
  code: string,
  name: string | undefined,
  addresses: typeof BOTH | { telegramBot: string },
) {
  const out = join(tmp.dir, code);
  const kit = await writePromoterKit({ code, out, addresses, translate, ...(name ? { name } : {}) });
  const html = readFileSync(join(out, 'poster.html'), 'utf8');
  return { kit, layout: await posterLayout(html, { executablePath: CHROMIUM, timeoutMs: 20_000 }) };
}

/** The QR code read back from its picture on the page, as a phone camera would. */
function read(png: Uint8Array): string | undefined {
  const image = PNG.sync.read(Buffer.from(png));
  return jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data;
}

describe.skipIf(!existsSync(CHROMIUM))('the printed poster, as Chromium lays it out on A4', () => {
  it('is one page, filled, in type read from a couple of metres, with QR codes that scan', async () => {
    const { kit, layout } = await laidOut('PROMO-01', 'María Pérez', BOTH);
    expect(layout.pages).toBe(1);
    expect(layout.overflowing).toEqual([]);
    // Was 83% with 10 pt text: the page is used, not left a fifth empty.
    expect(layout.fill).toBeGreaterThanOrEqual(0.85);
    const spanish = layout.textPt.filter((t) => t.lang === 'es');
    expect(spanish.length).toBeGreaterThan(10);
    // The Spanish text (the poster's language) at 18 pt or more; the English lines at 12 pt or more.
    expect(spanish.filter((t) => t.pt < 18)).toEqual([]);
    expect(layout.textPt.filter((t) => t.pt < 12)).toEqual([]);
    expect(layout.qrMm).toHaveLength(2);
    for (const mm of layout.qrMm) expect(mm).toBeGreaterThanOrEqual(45);
    expect(layout.qrPng.map(read)).toEqual([kit.links.telegram, kit.links.whatsapp]);
  }, 60_000);

  it('still fits one page with the longest name and code, the QR codes smaller but readable', async () => {
    const code = `BRIGADA-${'X'.repeat(50)}-0001`.slice(0, 64);
    const { kit, layout } = await laidOut(code, `${'Ñ'.repeat(60)} ${'Á'.repeat(59)}`, BOTH);
    expect(layout.pages).toBe(1);
    expect(layout.overflowing).toEqual([]);
    for (const mm of layout.qrMm) expect(mm).toBeGreaterThanOrEqual(QR_MIN_MM - 0.5);
    expect(layout.qrPng.map(read)).toEqual([kit.links.telegram, kit.links.whatsapp]);
  }, 60_000);

  it('fits one page with Telegram alone', async () => {
    const { kit, layout } = await laidOut('MARIA', undefined, { telegramBot: 'VacunaBot' });
    expect(layout.pages).toBe(1);
    expect(layout.overflowing).toEqual([]);
    expect(layout.qrPng.map(read)).toEqual([kit.links.telegram]);
  }, 60_000);
});
