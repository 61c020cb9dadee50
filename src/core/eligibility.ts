import { olderRules, type RulesInForce } from '../knowledge/campaign.js';
import {
  type AgeGroup,
  analyse,
  historyFor,
  notInPregnancy,
  type Profile,
  type Recommendation,
} from '../knowledge/eligibility.js';
import type { Bilingual } from '../knowledge/schemas.js';
import { categoryOf, type PersonFacts, UNMARKED, type Understanding } from '../nlu/index.js';
import { keepProfile, profileOf } from './context.js';
import { capitalize, formatDate, formatList } from './format.js';
import type { Option, Reply } from './messages.js';
import type { EligibilityDialog } from './session.js';
import { type Answer, inForce, menu, pick, type Turn } from './turn.js';

/** Conditions offered as buttons; the rest are still understood when typed. */
const CONDITION_BUTTONS = ['diabetes', 'hypertension', 'heart', 'lung', 'morbid-obesity', 'cancer', 'immuno'];
/** At most this many people answered from one message ("mi mamá de 70 y mi papá de 75"). */
const MAX_ANSWERS = 2;
/** The longest pregnancy, in weeks: a bare number up to this corrects the weeks (see correctedWeeks). */
const MAX_PREGNANCY_WEEKS = 42;
/** The conditions an "if they have a chronic condition such as…" line names. */
const CONDITION_EXAMPLES = ['diabetes', 'hypertension', 'heart'];
/** At most this many "if also…" lines: an answer must fit a phone screen. */
const MAX_IFS = 2;
/** Vaccines an earlier season gave in pregnancy that a newer one may not list: named as history. */
const PREGNANCY_HISTORY = ['rsv', 'tdpa'];

const ICON: Record<Recommendation['status'], string> = { recommended: '✅', later: '🕒', confirm: '❓' };

function nameOf(list: readonly { id: string; name: Bilingual }[], turn: Turn, id: string): string {
  const item = list.find((x) => x.id === id);
  return item ? pick(turn, item.name) : id;
}
export const vaccineName = (turn: Turn, id: string) => nameOf(turn.knowledge.vaccines.vaccines, turn, id);
const conditionName = (turn: Turn, id: string) => nameOf(turn.knowledge.vaccines.conditions, turn, id);
/** "influenza, COVID-19 y neumococo" */
export const list = (turn: Turn, items: string[]) => formatList(items, turn.lang);
const orList = (turn: Turn, items: string[]) => formatList(items, turn.lang, 'or');

/** How old a person probably is when the message does not say. */
function ageGroup(who: string): AgeGroup {
  if (who === 'self' || who.startsWith('group:')) return 'any';
  return categoryOf(who);
}

/** "tu mamá" / "your mother"; the writer is "ti" / "you". (A colon would be an i18next namespace.) */
function label(turn: Turn, who: string): string {
  const key = `people.${who.replace(':', '_')}`;
  const text = turn.t(key);
  return text === key ? turn.t('people.other') : text;
}
/** Self and others take different verb forms: "te toca" / "le toca". */
const form = (who: string) => (who === 'self' ? 'self' : 'other');

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
  if (p.conditions?.length) parts.push(...p.conditions.map((c) => conditionName(turn, c)));
  else if (p.conditions) parts.push(t('elig.summary.no_conditions'));
  return parts.join(', ');
}

/** "en el embarazo; personal de salud, si no se ha vacunado…": a condition the reasons share is said once. */
function joinReasons(reasons: string[]): string {
  if (reasons.length < 2) return reasons.join('');
  const split = reasons.map((r) => {
    const comma = r.indexOf(', ');
    return comma < 0 ? [r, ''] : [r.slice(0, comma), r.slice(comma + 2)];
  });
  const tail = split[0]?.[1];
  if (tail && split.every(([, t]) => t === tail)) return `${split.map(([head]) => head).join('; ')}, ${tail}`;
  return reasons.join('; ');
}

function recommendationLine(turn: Turn, r: Recommendation): string {
  return turn.t('elig.line', {
    icon: ICON[r.status],
    name: vaccineName(turn, r.vaccine),
    reasons: joinReasons(r.reasons.map((x) => pick(turn, x))),
    confirm: r.status === 'confirm' ? turn.t('elig.confirm_umf') : '',
  });
}

/** "📅 Según la campaña 2025-2026…": which season the answer comes from, when it is not today's. */
function seasonNote(turn: Turn, force: RulesInForce, short = false): string {
  const season = force.season.id;
  if (force.status.kind === 'running' && force.status.season.id === season) return '';
  if (force.status.kind === 'upcoming' && force.status.season.id === season)
    return short
      ? ''
      : turn.t('elig.season_upcoming', {
          season,
          start: formatDate(force.season.start ?? force.season.end, turn.lang),
        });
  // (short: the title already named the season)
  return turn.t(short ? 'elig.season_past_short' : 'elig.season_past', { season });
}

/** What an earlier season said of vaccines the season in force does not include (RSV, whooping cough). */
function historyLines(turn: Turn, force: RulesInForce, p: Profile, vaccines: readonly string[]): string[] {
  const lines: string[] = [];
  for (const id of vaccines) {
    if (id in force.rules.who) continue;
    const older = olderRules(turn.knowledge.campaign, turn.knowledge.vaccines, force, id);
    if (!older) continue;
    const r = historyFor(older.rules, p, id);
    const who = older.rules.who[id];
    const text = r ? r.reasons.map((x) => pick(turn, x)).join('; ') : who ? pick(turn, who) : undefined;
    if (!text) continue;
    lines.push(
      turn.t('elig.history_line', {
        name: vaccineName(turn, id),
        text,
        season: older.season.id,
      }),
    );
  }
  return lines;
}

/** One person's answer: what applies now, what one more fact would add, and at most one optional question. */
function personal(
  turn: Turn,
  who: string,
  p: Profile,
  only: readonly string[] | undefined,
  last: boolean,
): Answer {
  const { t } = turn;
  const force = inForce(turn);
  const group = ageGroup(who);
  const current = only?.filter((v) => v in force.rules.who);
  const a = analyse(force.rules, p, group, current?.length ? current : only?.length ? ['-'] : undefined);
  const isGroup = who.startsWith('group:');
  const base = isGroup ? GROUP_PROFILES[who.slice('group:'.length)] : undefined;
  // A group's own defining fact is not repeated ("el personal de salud (personal de salud)").
  const about = base && summary(turn, base) === summary(turn, p) ? '' : summary(turn, p);
  const name = label(turn, who);
  const recommended = a.results.filter((r) => r.status !== 'confirm');
  const lines = [about ? t('elig.for_summary', { who: name, summary: about }) : t('elig.for', { who: name })];
  if (isGroup && recommended.some((r) => r.status === 'recommended')) lines.push(t('elig.priority_group'));
  if (a.ageMatters && !a.results.length) {
    // Nothing holds at every likely age: the groups of the vaccines asked about, and the age question below.
    lines.push(t(`elig.depends_age_${form(who)}`, { who: name }));
    lines.push(...whoLines(turn, force, only));
  } else {
    lines.push(...a.results.map((r) => recommendationLine(turn, r)));
    // A vaccine asked about that does not apply: who it is for, so the answer still says it.
    // (not when an "if…" line below already says what would make it apply)
    const missing = (current ?? []).filter(
      (v) => !a.results.some((r) => r.vaccine === v) && !a.ifs.some((i) => i.vaccines.includes(v)),
    );
    if (missing.length) lines.push(...whoLines(turn, force, missing));
  }
  if (p.pregnant && !only?.length) {
    // "¿Cuál no se pone en el embarazo?": the season's vaccines its rules leave out in pregnancy.
    const left = notInPregnancy(force.rules).filter((v) => !a.results.some((r) => r.vaccine === v));
    if (left.length)
      lines.push(
        t('elig.not_in_pregnancy', {
          vaccines: list(
            turn,
            left.map((v) => vaccineName(turn, v)),
          ),
        }),
      );
  }
  const history = historyLines(turn, force, p, only?.length ? only : p.pregnant ? PREGNANCY_HISTORY : []);
  lines.push(...history);
  if (!recommended.length && !history.length && !(a.ageMatters && !a.results.length))
    lines.push(t(`elig.none_${form(who)}`, { who: name }));
  if (only?.length) {
    // Asked about one vaccine: name the others that also apply, in one line.
    const others = analyse(force.rules, p, group)
      .results.filter((r) => r.status === 'recommended' && !only.includes(r.vaccine))
      .map((r) => vaccineName(turn, r.vaccine));
    if (others.length) lines.push(t(`elig.also_${form(who)}`, { vaccines: list(turn, others) }));
  }
  // A health worker's answer is whole: their conditions are not asked (issue #13: the priority-group question).
  const ifs = p.worker ? a.ifs.filter((i) => i.fact !== 'conditions') : a.ifs;
  for (const i of ifs.slice(0, MAX_IFS)) {
    lines.push(
      t(`elig.if.${i.fact}_${form(who)}`, {
        vaccines: list(
          turn,
          i.vaccines.map((v) => vaccineName(turn, v)),
        ),
        examples: orList(
          turn,
          CONDITION_EXAMPLES.map((c) => conditionName(turn, c)),
        ),
      }),
    );
  }
  const note = seasonNote(turn, force);
  if (note) lines.push(note);
  lines.push(t('elig.free'));

  let options: Option[] | undefined;
  if (last && a.ageMatters && !isGroup && !p.worker) {
    turn.session.dialog = { kind: 'eligibility', step: 'age', who, retries: 0 };
    lines.push(
      t(group === 'baby' ? `elig.ask_months_${form(who)}` : `elig.ask_age_${form(who)}`, { who: name }),
    );
  } else if (last && ifs.some((i) => i.fact === 'conditions') && !isGroup) {
    turn.session.dialog = { kind: 'eligibility', step: 'conditions', who, retries: 0 };
    lines.push(t(`elig.ask_conditions_${form(who)}`, { who: name }));
    options = [
      ...CONDITION_BUTTONS.map((id) => ({ id: `cond:${id}`, label: capitalize(conditionName(turn, id)) })),
      { id: 'cond:none', label: t('option.none') },
    ];
  } else if (last) {
    options = [
      { id: 'facility', label: t('menu.facility') },
      { id: 'hours', label: t('menu.hours') },
      { id: 'elig:new', label: t('elig.another') },
    ];
  }
  const replies: Reply[] = pack(lines).map((text) => ({ text }));
  const final = replies[replies.length - 1];
  if (options && final) final.options = options;
  return { intent: 'eligibility', replies };
}

/** A phone screen's worth of text: a longer answer goes out as two or more messages, split between lines. */
const PHONE_SCREEN = 700;

function pack(lines: string[]): string[] {
  const out: string[] = [];
  let current = '';
  for (const line of lines) {
    if (current && current.length + 1 + line.length > PHONE_SCREEN) {
      out.push(current);
      current = line;
    } else current = current ? `${current}\n${line}` : line;
  }
  if (current) out.push(current);
  return out;
}

/** The groups of each vaccine (or of the ones asked about), from the season in force and, for the rest, history. */
function whoLines(turn: Turn, force: RulesInForce, only?: readonly string[]): string[] {
  const ids = only?.length ? only : Object.keys(force.rules.who);
  const lines: string[] = [];
  for (const id of ids) {
    const who = force.rules.who[id];
    const v = turn.knowledge.vaccines.vaccines.find((x) => x.id === id);
    if (!v) continue;
    if (!who) {
      lines.push(...historyLines(turn, force, {}, [id]));
      continue;
    }
    lines.push(
      v.protects
        ? turn.t('elig.vaccine_line_protects', {
            name: pick(turn, v.name),
            who: pick(turn, who),
            protects: pick(turn, v.protects),
          })
        : turn.t('elig.vaccine_line', { name: pick(turn, v.name), who: pick(turn, who) }),
    );
  }
  return lines;
}

/** The general picture: who gets each vaccine (or the ones asked about), and an offer to check a case. */
function general(turn: Turn, only?: readonly string[]): Answer {
  const force = inForce(turn);
  if (!only?.length) {
    // The groups answer the question; the age is asked only to go further, and any other message leaves it.
    turn.session.dialog = { kind: 'eligibility', step: 'age', who: 'self', retries: 0 };
    const groups = [turn.t('elig.general_title', { season: force.season.id }), ...whoLines(turn, force)];
    const next = [seasonNote(turn, force, true), turn.t('elig.ask_age_offer')].filter(Boolean);
    return { intent: 'eligibility', replies: [{ text: groups.join('\n') }, { text: next.join('\n') }] };
  }
  const lines = whoLines(turn, force, only);
  const note = seasonNote(turn, force);
  if (note) lines.push(note);
  return {
    intent: 'eligibility',
    replies: [
      {
        text: lines.join('\n'),
        options: [{ id: 'elig:me', label: turn.t('elig.check_mine') }, ...menu(turn, 'elig').slice(0, 3)],
      },
    ],
  };
}

/** A group named in a general question, as the profile of someone in it. */
const GROUP_PROFILES: Record<string, Profile> = {
  pregnant: { pregnant: true, sex: 'f' },
  worker: { worker: true },
  elderly: { ageMonths: 65 * 12 },
};

/** Merges what a message says about a person into what was known; a correction replaces. */
function merge(base: Profile | undefined, f: PersonFacts): Profile {
  const p: Profile = { ...(base ?? {}) };
  if (f.sex) p.sex = f.sex;
  if (f.ageMonths !== undefined) p.ageMonths = f.ageMonths;
  if (f.pregnant !== undefined) {
    p.pregnant = f.pregnant;
    if (!f.pregnant) delete p.pregnancyWeeks;
  }
  if (f.pregnancyWeeks !== undefined) p.pregnancyWeeks = f.pregnancyWeeks;
  if (f.worker !== undefined) p.worker = f.worker;
  if (f.conditions)
    p.conditions = f.conditions.length ? [...new Set([...(p.conditions ?? []), ...f.conditions])] : [];
  if (f.notConditions?.length) {
    p.conditions = (p.conditions ?? []).filter((c) => !f.notConditions?.includes(c));
  }
  if (p.pregnant) p.sex = 'f';
  if (p.sex === 'm' || (p.ageMonths !== undefined && p.ageMonths < 12 * 10)) delete p.pregnant;
  return p;
}

/**
 * "20 semanas de embarazo" then "no, perdón, son 28": the bare number corrects the weeks that were
 * given, not an age that never was.
 */
function correctedWeeks(base: Profile | undefined, f: PersonFacts): PersonFacts {
  if (!f.ageBare || f.ageMonths === undefined || base?.pregnancyWeeks === undefined) return f;
  if (base.ageMonths !== undefined || f.ageMonths > MAX_PREGNANCY_WEEKS * 12) return f;
  const { ageMonths, ageBare: _bare, ...rest } = f;
  return { ...rest, pregnancyWeeks: ageMonths / 12 };
}

/** Who a fact with no person named belongs to: the person of the last turns, else the writer. */
function resolveWho(turn: Turn, who: string): string {
  const current = turn.session.context?.who;
  if (who === UNMARKED) return current ?? 'self';
  if (who === 'third') return current && current !== 'self' ? current : 'other';
  return who;
}

/**
 * An eligibility question, answered at once: for the people it tells about (merged with what the
 * conversation already knew of them), for the person it asks about, for a group, or in general.
 */
export function eligibility(turn: Turn, u?: Understanding, options: { followUp?: boolean } = {}): Answer {
  const e = u?.entities;
  const only = e?.vaccines;
  const persons = (e?.people.persons ?? []).slice(0, MAX_ANSWERS);
  const subjects: { who: string; profile: Profile }[] = [];
  for (const f of persons) {
    const who = resolveWho(turn, f.who);
    const group = who.startsWith('group:') ? GROUP_PROFILES[who.slice('group:'.length)] : undefined;
    const base = profileOf(turn.session, who) ?? group;
    const profile = merge(base, e?.correction ? correctedWeeks(base, f) : f);
    keepProfile(turn.session, who, profile);
    subjects.push({ who, profile });
  }
  if (!subjects.length && e?.people.asked) {
    const who = resolveWho(turn, e.people.asked.who);
    const group = who.startsWith('group:') ? GROUP_PROFILES[who.slice('group:'.length)] : undefined;
    const profile =
      profileOf(turn.session, who) ?? group ?? (e.people.asked.sex ? { sex: e.people.asked.sex } : {});
    keepProfile(turn.session, who, profile);
    subjects.push({ who, profile });
  }
  const current = turn.session.context?.who;
  if (!subjects.length && current && options.followUp) {
    subjects.push({ who: current, profile: profileOf(turn.session, current) ?? {} });
  }
  if (!subjects.length) {
    const group = e?.people.topics.group;
    const groupProfile = group ? GROUP_PROFILES[group] : undefined;
    if (groupProfile && !only?.length) return personal(turn, `group:${group}`, groupProfile, undefined, true);
    if (!only?.length && e?.people.topics.pregnancy)
      return personal(turn, 'group:pregnant', { pregnant: true, sex: 'f' }, undefined, true);
    return general(turn, only);
  }
  const answers = subjects.map((s, i) => personal(turn, s.who, s.profile, only, i === subjects.length - 1));
  // The conversation goes on about the first person named.
  const first = subjects[0];
  if (first && subjects.length > 1) keepProfile(turn.session, first.who, first.profile);
  return { intent: 'eligibility', replies: answers.flatMap((a) => a.replies) };
}

/** The "check my case" button: the age is all it needs to start. */
export function startPersonal(turn: Turn): Answer {
  turn.session.dialog = { kind: 'eligibility', step: 'age', who: 'self', retries: 0 };
  return { intent: 'eligibility', replies: [{ text: turn.t('elig.ask_age_self') }] };
}

/** The "someone else" button: who it is and their age, in the person's own words. */
export function startOther(turn: Turn): Answer {
  turn.session.dialog = { kind: 'eligibility', step: 'age', who: 'other', retries: 0 };
  return { intent: 'eligibility', replies: [{ text: turn.t('elig.ask_other') }] };
}

/**
 * A message while the last answer's optional question is open: a condition button, an age, "ninguna",
 * "no sé". Returns undefined when the message is about something else, so the engine answers that.
 */
export function continueEligibility(
  turn: Turn,
  dialog: EligibilityDialog,
  input: { option?: string; u?: Understanding },
): Answer | undefined {
  const { option, u } = input;
  const who = dialog.who;
  const base = profileOf(turn.session, who) ?? {};
  const answerWith = (profile: Profile) => {
    turn.session.dialog = undefined;
    keepProfile(turn.session, who, profile);
    return personal(turn, who, profile, undefined, true);
  };
  if (option) {
    if (dialog.step === 'conditions' && option.startsWith('cond:')) {
      const id = option.slice('cond:'.length);
      return answerWith({
        ...base,
        conditions: id === 'none' ? [] : [...new Set([...(base.conditions ?? []), id])],
      });
    }
    return undefined;
  }
  if (!u) return undefined;
  const e = u.entities;
  // Facts about someone go through the normal answer (it knows whose they are).
  if (e.people.persons.length) return undefined;
  if (dialog.step === 'age' && e.number !== undefined && e.number <= 120 && u.tokens.length <= 4) {
    const months = ageGroup(who) === 'baby' ? e.number : e.number * 12;
    return answerWith({ ...base, ageMonths: months });
  }
  if (dialog.step === 'conditions' && (e.none || e.no) && u.tokens.length <= 4)
    return answerWith({ ...base, conditions: [] });
  if (e.unsure && u.tokens.length <= 5) {
    turn.session.dialog = undefined;
    return { intent: 'eligibility', replies: [{ text: turn.t('elig.unsure'), options: menu(turn, 'elig') }] };
  }
  return undefined;
}
