import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import i18next, { type TFunction } from 'i18next';
import { DataError } from '../errors.js';
import { LANGS, type Lang } from '../nlu/index.js';

export type Translate = TFunction;

/** Loads locales/<lang>/translation.json for both languages into one i18next instance. */
export function createTranslator(localesDir: string): (lang: Lang) => Translate {
  const resources: Record<string, { translation: Record<string, unknown> }> = {};
  for (const lang of LANGS) {
    const file = join(localesDir, lang, 'translation.json');
    try {
      resources[lang] = { translation: JSON.parse(readFileSync(file, 'utf8')) };
    } catch (err) {
      throw new DataError(file, '', `cannot be loaded (${(err as Error).message})`);
    }
  }
  const instance = i18next.createInstance();
  void instance.init({
    resources,
    lng: 'es',
    fallbackLng: false,
    initAsync: false,
    // Replies are plain text; each channel escapes for its own markup.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  const fixed = Object.fromEntries(LANGS.map((l) => [l, instance.getFixedT(l)])) as Record<Lang, Translate>;
  return (lang) => fixed[lang];
}
