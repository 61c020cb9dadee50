import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTranslator } from '../../src/core/i18n.js';
import { linksCommand } from '../../src/promoters/command.js';
import { writePromoterKit } from '../../src/promoters/kit.js';
import { PromoterInputError, promoterLinks, validateCode } from '../../src/promoters/links.js';
import { parsePromoter } from '../../src/runner/promoter.js';
import { tempDir } from '../harness.js';

const translate = createTranslator('locales');
const BOTH = { telegramBot: 'VacunaBot', whatsappNumber: '5215555550100' };

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => {
  tmp = tempDir();
});
afterAll(() => tmp.cleanup());

/** jsqr is CommonJS with `exports.default`: the function itself under NodeNext typing. */
const jsQR = jsQRModule.default;

/** Reads a QR code back from a PNG file, as a phone camera would. */
function decodeQr(file: string): string | undefined {
  const png = PNG.sync.read(readFileSync(file));
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
}

function run(argv: string[], env: NodeJS.ProcessEnv) {
  const out: string[] = [];
  const err: string[] = [];
  return linksCommand(
    argv,
    { LOCALES_DIR: 'locales', ...env },
    {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
    },
  ).then((status) => ({ status, out: out.join('\n'), err: err.join('\n') }));
}

describe('promoter links', () => {
  it('makes a Telegram deep link and a WhatsApp click-to-chat link with the code, URL-encoded', () => {
    const links = promoterLinks('PROMO-01', BOTH);
    expect(links.telegram).toBe('https://t.me/VacunaBot?start=PROMO-01');
    expect(links.whatsapp).toBe(
      'https://wa.me/5215555550100?text=Hola%20VacunaBot%2C%20c%C3%B3digo%20PROMO-01',
    );
    // the WhatsApp adapter reads the code back from the message the link fills in
    const text = new URL(links.whatsapp as string).searchParams.get('text') as string;
    expect(text).toBe('Hola VacunaBot, código PROMO-01');
    expect(parsePromoter(text)?.code).toBe('PROMO-01');
  });

  it('makes only the links of the configured channels', () => {
    expect(promoterLinks('brigada_7', { telegramBot: 'VacunaBot' })).toEqual({
      code: 'brigada_7',
      telegram: 'https://t.me/VacunaBot?start=brigada_7',
    });
    const wa = promoterLinks('IZT-2025-04', { whatsappNumber: '5215555550100' });
    expect(wa.telegram).toBeUndefined();
    expect(parsePromoter(wa.whatsappText as string)?.code).toBe('IZT-2025-04');
  });

  it.each(['PROMO-01', 'a1', 'brigada_7', `${'X'.repeat(63)}1`, '2025-A'])('accepts the code %j', (code) => {
    expect(() => validateCode(code, BOTH)).not.toThrow();
  });

  it.each([
    ['', /empty/],
    ['PROMO 01', /a space/],
    ['código1', /"ó"/],
    ['PROMO/01', /"\/"/],
    ['PROMO🙂1', /"🙂"/],
    ['A1'.repeat(33), /66 characters; at most 64/],
    ['<script>1', /"<"/],
  ])('rejects the code %j with a clear reason', (code, reason) => {
    expect(() => validateCode(code, BOTH)).toThrow(PromoterInputError);
    expect(() => validateCode(code, BOTH)).toThrow(reason);
  });

  it('asks for a letter and a digit only when there is a WhatsApp link (the adapter needs both)', () => {
    expect(() => validateCode('MARIA', { telegramBot: 'VacunaBot' })).not.toThrow();
    expect(() => validateCode('MARIA', BOTH)).toThrow(/letter and one digit.*MARIA1/);
    expect(() => validateCode('2025', BOTH)).toThrow(/A2025/);
  });
});

describe('promoter kit: QR codes and the printable poster', () => {
  const name = 'María José <b>Pérez</b> & Núñez';
  let kit: Awaited<ReturnType<typeof writePromoterKit>>;
  let out: string;
  beforeAll(async () => {
    out = join(tmp.dir, 'kit');
    kit = await writePromoterKit({ code: 'PROMO-01', name, out, addresses: BOTH, translate });
  });

  it('writes a PNG and an SVG QR code per channel; the PNGs decode back to the links', () => {
    expect(kit.files.map((f) => f.slice(out.length + 1))).toEqual([
      'telegram-qr.png',
      'telegram-qr.svg',
      'whatsapp-qr.png',
      'whatsapp-qr.svg',
      'poster.html',
    ]);
    expect(decodeQr(join(out, 'telegram-qr.png'))).toBe(kit.links.telegram);
    expect(decodeQr(join(out, 'whatsapp-qr.png'))).toBe(kit.links.whatsapp);
    for (const channel of ['telegram', 'whatsapp']) {
      const svg = readFileSync(join(out, `${channel}-qr.svg`), 'utf8');
      expect(svg).toMatch(
        /^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/,
      );
      expect(svg).toMatch(/<path [^>]*d="M/);
    }
  });

  it('writes a one-page A4 poster in both languages, with the links, the QR codes and the escaped name', () => {
    const html = readFileSync(join(out, 'poster.html'), 'utf8');
    expect(html).toMatch(/@page \{ size: A4 portrait;/);
    // every sentence from the locales, in both languages
    for (const lang of ['es', 'en'] as const) {
      const t = translate(lang);
      for (const key of ['title', 'lead', 'answer_eligibility', 'answer_facility', 'scan', 'emergency']) {
        expect(html, `${lang} ${key}`).toContain(t(`promoter.poster.${key}`).replaceAll("'", '&#39;'));
      }
      expect(html).toContain(`<section lang="${lang}"`);
    }
    expect(html).toContain('¿Te toca vacuna? Pregúntale a VacunaBot');
    expect(html).toContain('Should you get vaccinated? Ask VacunaBot');
    expect(html).toContain(`href="${kit.links.telegram}"`);
    expect(html).toContain(`href="${kit.links.whatsapp}"`);
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html).toContain('Hola VacunaBot, código PROMO-01');
    expect(html).toContain('María José &lt;b&gt;Pérez&lt;/b&gt; &amp; Núñez');
    expect(html).not.toContain('<b>');
    expect(html).not.toMatch(/<script|https?:\/\/(?!t\.me|wa\.me|www\.w3\.org)/);
  });

  it('leaves the name out when none is given, and the WhatsApp card out when WhatsApp is not configured', async () => {
    const only = join(tmp.dir, 'telegram-only');
    const kit2 = await writePromoterKit({
      code: 'MARIA',
      out: only,
      addresses: { telegramBot: 'VacunaBot' },
      translate,
    });
    expect(kit2.files.map((f) => f.slice(only.length + 1))).toEqual([
      'telegram-qr.png',
      'telegram-qr.svg',
      'poster.html',
    ]);
    const html = readFileSync(join(only, 'poster.html'), 'utf8');
    expect(html).not.toContain('wa.me');
    expect(html).not.toContain(translate('es')('promoter.poster.promoter', { name: '' }).trim());
  });

  it('writes nothing for an invalid code', async () => {
    const bad = join(tmp.dir, 'bad');
    await expect(writePromoterKit({ code: 'no vale', out: bad, addresses: BOTH, translate })).rejects.toThrow(
      PromoterInputError,
    );
    expect(existsSync(bad)).toBe(false);
  });
});

describe('npm run links', () => {
  it('prints the links and where the files went', async () => {
    const out = join(tmp.dir, 'cli');
    const r = await run(['--code', 'PROMO-01', '--name', 'Doña Inés', '--out', out], {
      TELEGRAM_BOT_USERNAME: 'VacunaBot',
      WHATSAPP_NUMBER: '5215555550100',
    });
    expect(r).toMatchObject({ status: 0, err: '' });
    expect(r.out).toContain('Promoter code PROMO-01 (Doña Inés)');
    expect(r.out).toContain('Telegram: https://t.me/VacunaBot?start=PROMO-01');
    expect(r.out).toContain(
      'WhatsApp: https://wa.me/5215555550100?text=Hola%20VacunaBot%2C%20c%C3%B3digo%20PROMO-01',
    );
    expect(r.out).toContain(join(out, 'poster.html'));
    expect(readFileSync(join(out, 'poster.html'), 'utf8')).toContain('Doña Inés');
  });

  it('says which channel is not configured', async () => {
    const r = await run(['--code', 'PROMO-01', '--out', join(tmp.dir, 'cli-tg')], {
      TELEGRAM_BOT_USERNAME: 'VacunaBot',
    });
    expect(r.status).toBe(0);
    expect(r.out).toContain('WhatsApp: not configured (set WHATSAPP_NUMBER)');
  });

  it('exits 2 with one line for an invalid code, a missing code, or no channel configured', async () => {
    const env = { TELEGRAM_BOT_USERNAME: 'VacunaBot' };
    const bad = await run(['--code', 'promo ñ', '--out', join(tmp.dir, 'x')], env);
    expect(bad.status).toBe(2);
    expect(bad.err).toBe(
      'Invalid input: the promoter code "promo ñ" may only have letters A-Z without accents, digits, "-" and "_" (not a space, "ñ").',
    );
    expect((await run([], env)).status).toBe(2);
    const none = await run(['--code', 'PROMO-01'], {});
    expect(none.status).toBe(2);
    expect(none.err).toMatch(/^No channel to link to: set TELEGRAM_BOT_USERNAME .* and\/or WHATSAPP_NUMBER/);
    expect(none.err.split('\n')).toHaveLength(1);
  });

  it('runs as a command and writes to var/promoters/<code>/ by default', () => {
    const cwd = join(tmp.dir, 'cwd');
    mkdirSync(cwd);
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !/^(npm_|TELEGRAM|WHATSAPP)/i.test(k)),
    );
    const child = spawnSync(
      process.execPath,
      ['--import', tsx, resolve('src/cli/links.ts'), '--code', 'BRIGADA-9'],
      {
        cwd,
        env: { ...env, LOCALES_DIR: resolve('locales'), WHATSAPP_NUMBER: '5215555550100' },
        encoding: 'utf8',
      },
    );
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    const folder = join(cwd, 'var', 'promoters', 'BRIGADA-9');
    expect(decodeQr(join(folder, 'whatsapp-qr.png'))).toBe(
      'https://wa.me/5215555550100?text=Hola%20VacunaBot%2C%20c%C3%B3digo%20BRIGADA-9',
    );
    expect(existsSync(join(folder, 'poster.html'))).toBe(true);
    expect(existsSync(join(folder, 'telegram-qr.png'))).toBe(false);
  });
});
