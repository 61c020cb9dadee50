import { type RulesInForce, rulesInForce } from '../knowledge/campaign.js';
import type { FaqMatcher } from '../knowledge/faq.js';
import type { Knowledge } from '../knowledge/load.js';
import type { Bilingual } from '../knowledge/schemas.js';
import type { Intent, Lang } from '../nlu/index.js';
import { mexicoCityClock } from './clock.js';
import type { Translate } from './i18n.js';
import type { Option, Reply } from './messages.js';
import type { FacilityFinder } from './ports.js';
import type { Session } from './session.js';

/** Everything an answer needs for one message, built by the engine. */
export interface Turn {
  lang: Lang;
  t: Translate;
  knowledge: Knowledge;
  faq: FaqMatcher;
  facilities: FacilityFinder;
  /** Mutable: answers may start, advance or end a dialog. */
  session: Session;
  now: Date;
}

export interface Answer {
  intent: Intent;
  replies: Reply[];
}

/** Content entries carry both languages; this picks the person's. */
export const pick = (turn: Turn, text: Bilingual) => text[turn.lang];

/** The eligibility rules in force today (in Mexico City), and the season they come from. */
export function inForce(turn: Turn): RulesInForce {
  const { campaign, vaccines } = turn.knowledge;
  return rulesInForce(campaign, vaccines, mexicoCityClock(turn.now).date);
}

/** The main menu, offered after most answers as the likely next steps, in the turn's own translations. */
export function menu(turn: Turn, except?: string): Option[] {
  const { t } = turn;
  return [
    { id: 'elig', label: t('menu.elig') },
    { id: 'facility', label: t('menu.facility') },
    { id: 'hours', label: t('menu.hours') },
    { id: 'prevention', label: t('menu.prevention') },
    { id: 'faq', label: t('menu.faq') },
    { id: turn.lang === 'es' ? 'lang:en' : 'lang:es', label: t('menu.other_lang') },
  ].filter((o) => o.id !== except);
}
