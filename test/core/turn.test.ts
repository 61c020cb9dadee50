import { describe, expect, it } from 'vitest';
import type { Translate } from '../../src/core/i18n.js';
import { menu, type Turn } from '../../src/core/turn.js';

/** A translator that marks its labels, so two translators for one language tell apart. */
const marked = (mark: string) => ((key: string) => `${mark}:${key}`) as unknown as Translate;
const turn = (lang: 'es' | 'en', t: Translate) => ({ lang, t }) as unknown as Turn;

describe('main menu', () => {
  it('is labelled by the translator of the turn that asks, not by whichever asked first', () => {
    expect(menu(turn('es', marked('a')))[0]).toEqual({ id: 'elig', label: 'a:menu.elig' });
    expect(menu(turn('es', marked('b')))[0]).toEqual({ id: 'elig', label: 'b:menu.elig' });
  });

  it('leaves out the item just answered and offers the other language', () => {
    const ids = menu(turn('en', marked('x')), 'hours').map((o) => o.id);
    expect(ids).toEqual(['elig', 'facility', 'prevention', 'faq', 'lang:es']);
  });

  it('gives each caller its own list, so changing one reply cannot change another', () => {
    const t = marked('x');
    const first = menu(turn('es', t));
    first.pop();
    expect(menu(turn('es', t))).toHaveLength(6);
  });
});
