import { type Answer, menu, pick, type Turn } from './turn.js';

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

export function unknown(turn: Turn): Answer {
  return { intent: 'unknown', replies: [{ text: turn.t('unknown.text'), options: menu(turn) }] };
}

export function emergency(turn: Turn): Answer {
  // A dialog in progress no longer matters: the person has something more urgent.
  turn.session.dialog = undefined;
  return {
    intent: 'emergency',
    replies: [{ text: turn.t('emergency.text'), options: [{ id: 'menu', label: turn.t('menu.main') }] }],
  };
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
