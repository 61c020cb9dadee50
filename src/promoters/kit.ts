import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Translate } from '../core/i18n.js';
import type { Lang } from '../nlu/index.js';
import { type BotAddresses, PromoterInputError, type PromoterLinks, promoterLinks } from './links.js';
import { renderPoster } from './poster.js';
import { qrPng, qrSvg } from './qr.js';

/** Longest promoter name printed on the poster. */
const NAME_MAX = 120;

export interface KitRequest {
  code: string;
  name?: string;
  /** Output folder (created). */
  out: string;
  addresses: BotAddresses;
  translate: (lang: Lang) => Translate;
}

export interface Kit {
  links: PromoterLinks;
  /** Files written, in order. */
  files: string[];
}

/** The promoter's name, tidied: spaces collapsed; control characters are refused. */
function cleanName(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const clean = name.normalize('NFC').replace(/\s+/g, ' ').trim();
  if (/[\p{Cc}\p{Cf}]/u.test(clean)) throw new PromoterInputError('the name has control characters');
  if ([...clean].length > NAME_MAX)
    throw new PromoterInputError(`the name is longer than ${NAME_MAX} characters`);
  return clean || undefined;
}

/**
 * Everything a promoter needs to share the bot: the links (one per configured channel), a QR code
 * of each as PNG and SVG, and a printable bilingual poster (poster.html). Throws a
 * PromoterInputError for an invalid code, before writing anything.
 */
export async function writePromoterKit(request: KitRequest): Promise<Kit> {
  const links = promoterLinks(request.code, request.addresses);
  const name = cleanName(request.name);
  await mkdir(request.out, { recursive: true });
  const files: string[] = [];
  const qr: { telegram?: string; whatsapp?: string } = {};
  for (const channel of ['telegram', 'whatsapp'] as const) {
    const link = links[channel];
    if (!link) continue;
    const svg = await qrSvg(link);
    qr[channel] = svg;
    const png = join(request.out, `${channel}-qr.png`);
    const svgFile = join(request.out, `${channel}-qr.svg`);
    await writeFile(png, await qrPng(link));
    await writeFile(svgFile, `<?xml version="1.0" encoding="UTF-8"?>\n${svg}`);
    files.push(png, svgFile);
  }
  const poster = join(request.out, 'poster.html');
  await writeFile(
    poster,
    renderPoster({ links, qr, translate: request.translate, ...(name ? { name } : {}) }),
  );
  files.push(poster);
  return { links, files };
}
