import { conclude, nextQuestion, type Profile, type Question } from '../knowledge/eligibility.js';
import type { Entities, Understanding } from '../nlu/index.js';
import type { Option } from './messages.js';
import type { EligibilityDialog } from './session.js';
import { type Answer, menu, pick, type Turn } from './turn.js';

/** Conditions offered as buttons; the rest are still understood when typed. */
const CONDITION_BUTTONS = ['diabetes', 'hypertension', 'heart', 'lung', 'cancer', 'immuno', 'other'];
const MAX_RETRIES = 1;

/** Condition names read mid-sentence in summaries; as button labels they start with a capital. */
const capitalize = (s: string) => s.charAt(0).toLocaleUpperCase() + s.slice(1);

function profileFrom(e: Entities, base: Profile = {}): Profile {
  const p: Profile = { ...base };
  if (e.ageMonths !== undefined) p.ageMonths = e.ageMonths;
  if (e.pregnant !== undefined) p.pregnant = e.pregnant;
  if (e.pregnancyWeeks !== undefined) {
    p.pregnancyWeeks = e.pregnancyWeeks;
    p.pregnant = true;
  }
  if (e.conditions) p.conditions = [...new Set([...(p.conditions ?? []), ...e.conditions])];
  if (e.worker) p.worker = true;
  return p;
}

const hasFacts = (p: Profile) => Object.keys(p).length > 0;

function ask(
  turn: Turn,
  question: Question,
  dialog: Omit<EligibilityDialog, 'step' | 'kind'>,
  retry = false,
): Answer {
  turn.session.dialog = { kind: 'eligibility', step: question, ...dialog };
  const { t } = turn;
  let options: Option[] | undefined;
  if (question === 'pregnant') {
    options = [
      { id: 'yes', label: t('option.yes') },
      { id: 'no', label: t('option.no') },
    ];
  } else if (question === 'conditions') {
    const names = new Map(turn.knowledge.vaccines.conditions.map((c) => [c.id, pick(turn, c.name)]));
    options = [
      ...CONDITION_BUTTONS.filter((id) => names.has(id)).map((id) => ({
        id: `cond:${id}`,
        label: capitalize(names.get(id) ?? id),
      })),
      { id: 'cond:none', label: t('option.none') },
    ];
  }
  const text = t(retry ? `elig.retry_${question}` : `elig.ask_${question}`);
  return { intent: 'eligibility', replies: [options ? { text, options } : { text }] };
}

function summary(turn: Turn, p: Profile): string {
  const { t } = turn;
  const parts: string[] = [];
  if (p.ageMonths !== undefined) {
    parts.push(
      p.ageMonths < 24
        ? t('elig.summary.months', { count: p.ageMonths })
        : t('elig.summary.years', { count: Math.floor(p.ageMonths / 12) }),
    );
  }
  if (p.pregnant) {
    parts.push(
      p.pregnancyWeeks !== undefined
        ? t('elig.summary.weeks', { count: p.pregnancyWeeks })
        : t('elig.summary.pregnant'),
    );
  }
  if (p.worker) parts.push(t('elig.summary.worker'));
  if (p.conditions?.length) {
    const names = new Map(turn.knowledge.vaccines.conditions.map((c) => [c.id, pick(turn, c.name)]));
    parts.push(...p.conditions.map((c) => names.get(c) ?? c));
  } else if (p.conditions) parts.push(t('elig.summary.no_conditions'));
  return parts.join(', ');
}

/** The personal answer: each vaccine that applies, with its reason; "confirm at your UMF" where rules do not decide. */
function answer(turn: Turn, p: Profile, skipped: readonly Question[]): Answer {
  turn.session.dialog = undefined;
  const { t } = turn;
  const data = turn.knowledge.vaccines;
  const names = new Map(data.vaccines.map((v) => [v.id, pick(turn, v.name)]));
  const recs = conclude(data, p);
  const about = summary(turn, p);
  const lines = [about ? t('elig.result_intro', { summary: about }) : t('elig.result_intro_plain')];
  for (const r of recs) {
    lines.push(
      t(`elig.${r.status}`, {
        name: names.get(r.vaccine),
        reasons: r.reasons.map((x) => pick(turn, x)).join('; '),
      }),
    );
  }
  if (skipped.length) {
    // Without some facts "you are not in the groups" could be wrong: show who the groups are instead.
    if (!recs.length) lines.push(picture(turn));
    lines.push(t('elig.skipped'));
  } else if (!recs.some((r) => r.status !== 'confirm')) lines.push(t('elig.none'));
  lines.push(t('elig.free'));
  return {
    intent: 'eligibility',
    replies: [
      {
        text: lines.join('\n'),
        options: [
          { id: 'facility', label: t('menu.facility') },
          { id: 'hours', label: t('menu.hours') },
          { id: 'elig:new', label: t('elig.another') },
        ],
      },
    ],
  };
}

function advance(turn: Turn, profile: Profile, skipped: Question[]): Answer {
  const next = nextQuestion(turn.knowledge.vaccines, profile, skipped);
  return next ? ask(turn, next, { profile, skipped, retries: 0 }) : answer(turn, profile, skipped);
}

/** The general picture, one line per vaccine (or only the vaccines the message named). */
function picture(turn: Turn, only?: readonly string[]): string {
  const vaccines = turn.knowledge.vaccines.vaccines.filter((v) => !only?.length || only.includes(v.id));
  const lines = vaccines.map((v) =>
    v.protects
      ? turn.t('elig.vaccine_line_protects', {
          name: pick(turn, v.name),
          who: pick(turn, v.who),
          protects: pick(turn, v.protects),
        })
      : turn.t('elig.vaccine_line', { name: pick(turn, v.name), who: pick(turn, v.who) }),
  );
  return only?.length ? lines.join('\n') : [turn.t('elig.general_title'), ...lines].join('\n');
}

/**
 * An eligibility question outside a dialog. With a profile in it ("tengo 67 y soy diabético") it
 * answers or asks the one missing fact; about one vaccine, that vaccine's groups; otherwise the
 * general picture and the first question.
 */
export function eligibility(turn: Turn, entities: Entities): Answer {
  const profile = profileFrom(entities);
  if (hasFacts(profile)) return advance(turn, profile, []);
  if (entities.vaccines?.length) {
    return {
      intent: 'eligibility',
      replies: [
        {
          text: picture(turn, entities.vaccines),
          options: [{ id: 'elig:me', label: turn.t('elig.check_mine') }, ...menu(turn, 'elig')],
        },
      ],
    };
  }
  const question = ask(turn, 'age', { profile: {}, skipped: [], retries: 0 });
  return { intent: 'eligibility', replies: [{ text: picture(turn) }, ...question.replies] };
}

/** Starts the personal questions directly (the "check my case" / "someone else" buttons). */
export function startPersonal(turn: Turn): Answer {
  return advance(turn, {}, []);
}

/** What an answer to the current step says, or undefined if it does not answer it. */
function parseStep(
  dialog: EligibilityDialog,
  input: { option?: string; u?: Understanding },
): Profile | undefined {
  const { step, profile } = dialog;
  const { option, u } = input;
  if (option) {
    if (step === 'pregnant' && (option === 'yes' || option === 'no'))
      return { ...profile, pregnant: option === 'yes' };
    if (step === 'conditions' && option.startsWith('cond:')) {
      const id = option.slice('cond:'.length);
      return { ...profile, conditions: id === 'none' ? [] : [id] };
    }
    return undefined;
  }
  if (!u) return undefined;
  const e = u.entities;
  const merged = profileFrom(e, profile);
  switch (step) {
    case 'age': {
      if (e.ageMonths !== undefined) return merged;
      // a bare number answers "how old?" in years
      if (e.number !== undefined && e.number <= 120) return { ...merged, ageMonths: e.number * 12 };
      return undefined;
    }
    case 'pregnant':
      if (e.pregnant !== undefined || e.pregnancyWeeks !== undefined) return merged;
      if (e.no) return { ...merged, pregnant: false };
      if (e.yes) return { ...merged, pregnant: true };
      return undefined;
    case 'weeks':
      if (e.pregnancyWeeks !== undefined) return merged;
      if (e.number !== undefined && e.number <= 42) return { ...merged, pregnancyWeeks: e.number };
      return undefined;
    case 'conditions':
      if (e.conditions) return merged;
      if (e.none || e.no) return { ...merged, conditions: [] };
      return undefined;
  }
}

/**
 * A message while the eligibility dialog waits for an answer. Returns undefined when the message
 * is clearly about something else, so the engine answers that instead.
 */
export function continueEligibility(
  turn: Turn,
  dialog: EligibilityDialog,
  input: { option?: string; u?: Understanding },
): Answer | undefined {
  const profile = parseStep(dialog, input);
  if (profile) return advance(turn, profile, dialog.skipped);
  // "no sé" answers the question too: it is not asked again.
  if (input.u?.entities.unsure) return advance(turn, dialog.profile, [...dialog.skipped, dialog.step]);
  const other = input.u?.intent;
  if (input.option || (other && other !== 'unknown' && other !== 'eligibility')) return undefined;
  if (dialog.retries >= MAX_RETRIES) return advance(turn, dialog.profile, [...dialog.skipped, dialog.step]);
  return ask(
    turn,
    dialog.step,
    { profile: dialog.profile, skipped: dialog.skipped, retries: dialog.retries + 1 },
    true,
  );
}
