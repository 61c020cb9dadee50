import type { OffTopic } from '../nlu/index.js';
import { list, vaccineName } from './eligibility.js';
import { type Answer, inForce, menu, pick, type Turn } from './turn.js';

/** The short answers that need no dialog: one reply, the menu as next steps. */

export function greeting(turn: Turn): Answer {
  return { intent: 'greeting', replies: [{ text: turn.t('greeting.text'), options: menu(turn) }] };
}

export function help(turn: Turn): Answer {
  return { intent: 'help', replies: [{ text: turn.t('help.text'), options: menu(turn) }] };
}

export function thanks(turn: Turn): Answer {
  return { intent: 'thanks', replies: [{ text: turn.t('thanks.text'), options: menu(turn) }] };
}

/** Not understood; or understood as outside the domain (a pet's vaccine, the bank's hours…): then say what the bot does. */
export function unknown(turn: Turn, outOfScope?: OffTopic): Answer {
  let text: string;
  if (!outOfScope) text = turn.t('unknown.text');
  else if (outOfScope === 'animal') text = turn.t('unknown.out_of_scope_animal');
  else if (outOfScope === 'personal-data') text = turn.t('unknown.personal_data');
  else if (outOfScope === 'other-vaccine') {
    // Name the vaccines the campaign does give, from the season in force.
    const names = Object.keys(inForce(turn).rules.who).map((id) => vaccineName(turn, id));
    text = turn.t('unknown.out_of_scope_other_vaccine', { vaccines: list(turn, names) });
  } else text = turn.t('unknown.out_of_scope_other');
  return { intent: 'unknown', replies: [{ text, options: menu(turn) }] };
}

/** 911 first. Thoughts of suicide also get the national crisis line. */
export function emergency(turn: Turn, rule?: string): Answer {
  // A dialog in progress no longer matters: the person has something more urgent.
  turn.session.dialog = undefined;
  const text = rule?.startsWith('suicide') ? turn.t('emergency.suicide') : turn.t('emergency.text');
  return { intent: 'emergency', replies: [{ text, options: [{ id: 'menu', label: turn.t('menu.main') }] }] };
}

export function prevention(turn: Turn): Answer {
  const tips = turn.knowledge.prevention.tips.map((tip) =>
    turn.t('prevention.tip', { tip: pick(turn, tip.text) }),
  );
  return {
    intent: 'prevention',
    replies: [{ text: [turn.t('prevention.title'), ...tips].join('\n'), options: menu(turn, 'prevention') }],
  };
}

/** Confirms a language switch (the engine already switched), or asks which language when none was named. */
export function language(turn: Turn, switched: boolean): Answer {
  if (switched)
    return { intent: 'language', replies: [{ text: turn.t('language.done'), options: menu(turn) }] };
  return {
    intent: 'language',
    replies: [
      {
        text: turn.t('language.ask'),
        options: [
          { id: 'lang:es', label: turn.t('language.name_es') },
          { id: 'lang:en', label: turn.t('language.name_en') },
        ],
      },
    ],
  };
}
