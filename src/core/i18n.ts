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
  const fixed = Object.fromEntries(LANGS.map((l) => [l, memoized(instance.getFixedT(l))])) as Record<
    Lang,
    Translate
  >;
  return (lang) => fixed[lang];
}

/** Distinct (key, values) renderings kept; the values come from bounded sets (names, reasons, times). */
const MEMO_SIZE = 20_000;

/**
 * A rendering depends only on the key and its values: resolve each once. i18next's per-call key
 * resolution and interpolation would otherwise be the largest cost of a reply.
 */
function memoized(t: TFunction): Translate {
  const render = t as unknown as (key: unknown, options?: unknown) => string;
  const cache = new Map<string, string>();
  const wrapped = (key: string | string[], options?: Record<string, unknown>) => {
    if (typeof key !== 'string') return render(key, options);
    const id = options === undefined ? key : `${key}\u0000${JSON.stringify(options)}`;
    let value = cache.get(id);
    if (value === undefined) {
      value = render(key, options);
      if (cache.size >= MEMO_SIZE) cache.clear();
      cache.set(id, value);
    }
    return value;
  };
  return wrapped as unknown as Translate;
}
