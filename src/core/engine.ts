import { FaqMatcher } from '../knowledge/faq.js';
import type { Knowledge } from '../knowledge/load.js';
import {
  hasFacts,
  type Intent,
  type Lang,
  type Nlu,
  type NluHints,
  type Understanding,
} from '../nlu/index.js';
import { withCommand } from './commands.js';
import { forgetTopic, remember } from './context.js';
import { continueEligibility, eligibility, startOther, startPersonal } from './eligibility.js';
import { askLocation, continueFacility, facility, locationReceived, nearest } from './facility.js';
import { faq, faqTopic, faqTopics } from './faq.js';
import { hours } from './hours.js';
import type { Translate } from './i18n.js';
import type { IncomingMessage, Reply } from './messages.js';
import { type FacilityFinder, noFacilityDirectory } from './ports.js';
import { isPromoterCode } from './promoter-code.js';
import type { Session } from './session.js';
import * as simple from './simple-answers.js';
import { type Answer, menu, type Turn } from './turn.js';

/** What the engine answers to one message: the language and intent it used, and the replies. */
export interface Outcome {
  lang: Lang;
  intent: Intent;
  confidence: number;
  replies: Reply[];
}

/** One message decided: the new session, the answer, and what statistics may count of it. */
export interface Decision {
  /** The session after this message (the one given is left as it was). */
  session: Session;
  outcome: Outcome;
  /** The text of a message the bot could not answer (intent 'unknown'), for content editors; never with an id. */
  missed?: string;
  /** A valid promoter code that started this chat (deep link or first message). */
  promoterCode?: string;
  /** An internal failure: the person got a polite error, and the open question and topic are dropped. */
  error?: unknown;
}

export interface EngineDeps {
  knowledge: Knowledge;
  nlu: Nlu;
  translate: (lang: Lang) => Translate;
  facilities?: FacilityFinder;
  defaultLang: Lang;
}

/** Below this confidence the classifier's guess is weak: a follow-up may lean on the last turn. */
export const LOW_CONFIDENCE = 0.6;

/**
 * A chosen language yields when the person clearly writes in the other one: this sure (a
 * log-likelihood margin) and at least this many words ("dónde me vacuno? no entiendo" → Spanish).
 */
const LANG_YIELD_MARGIN = 6;
const LANG_YIELD_WORDS = 4;
/** A follow-up leans on the last turn when it is this short or starts with "y…", "and…". */
const FOLLOW_UP_WORDS = 8;
/** What the conversation knows that changes how a message is read: whose fever "38.6" is. */
function hintsFrom(session: Session): NluHints {
  const who = session.context?.who;
  const months = who ? session.context?.people?.[who]?.ageMonths : undefined;
  return months === undefined ? {} : { subjectMonths: months };
}

/** A message needs this many words to ask two things ("¿cuánto cuesta y dónde?" has four). */
const TWO_ASKS_WORDS = 4;
/** A message this short that is only a place name is read as "where?". */
const BARE_PLACE_WORDS = 5;
/** Intents whose answer can take a second question's answer after it. */
const CAN_ADD: ReadonlySet<Intent> = new Set(['eligibility', 'facility', 'hours', 'faq', 'prevention']);

export { PROMOTER_CODE } from './promoter-code.js';

/**
 * The conversation core: one message in, replies out, synchronously. Knows nothing of channels,
 * storage or time other than the message's own; every answer is rendered in the person's language
 * from data and locale strings.
 */
export class Engine {
  private readonly faq: FaqMatcher;
  private readonly facilities: FacilityFinder;

  constructor(private readonly deps: EngineDeps) {
    this.faq = new FaqMatcher(deps.knowledge.faq, deps.nlu.tokens, deps.nlu.stopwords);
    this.facilities = deps.facilities ?? noFacilityDirectory;
  }

  /** A fresh session for someone the bot has not talked to (or has forgotten). */
  newSession(): Session {
    return { lang: this.deps.defaultLang, langPinned: false };
  }

  /** The polite answer to a message that failed inside the bot. */
  failure(lang: Lang = this.deps.defaultLang): Outcome {
    return {
      lang,
      intent: 'unknown',
      confidence: 0,
      replies: [{ text: this.deps.translate(lang)('error.generic') }],
    };
  }

  /**
   * Decides one message: session + message (+ its own time) → new session + replies. No I/O: the
   * conversation runner loads and saves the session, counts statistics and sends the replies.
   */
  decide(previous: Session | undefined, incoming: IncomingMessage): Decision {
    const message = withCommand(incoming);
    // The answer builders change the session as they go: they work on a copy.
    const session = previous ? structuredClone(previous) : this.newSession();
    try {
      const u =
        message.kind === 'text' ? this.deps.nlu.understand(message.text, hintsFrom(session)) : undefined;
      const switched = this.switchLanguage(session, message, u);
      const turn: Turn = {
        lang: session.lang,
        t: this.deps.translate(session.lang),
        knowledge: this.deps.knowledge,
        faq: this.faq,
        facilities: this.facilities,
        session,
        now: message.receivedAt,
      };
      const answer = switched ? simple.language(turn, true) : this.route(turn, message, u);
      remember(session, answer.intent, u);
      const decision: Decision = {
        session,
        outcome: {
          lang: turn.lang,
          intent: answer.intent,
          confidence: u?.confidence ?? 1,
          replies: answer.replies,
        },
      };
      // Missed: only what the bot could not answer. An answered message is not kept, however weak the
      // guess: the less people's own words are stored, the better (issue 15, item 9).
      if (u && message.kind === 'text' && !u.emergency && answer.intent === 'unknown')
        decision.missed = message.text;
      if (message.kind === 'start' && isPromoterCode(message.payload))
        decision.promoterCode = message.payload;
      return decision;
    } catch (error) {
      // One failing message must never take the bot down, nor show the person a stack trace; and a
      // dialog state that made it fail must not make the next message fail too.
      return {
        session: previous ? forgetTopic(previous) : this.newSession(),
        outcome: this.failure(previous?.lang),
        error,
      };
    }
  }

  /**
   * Decides the reply language. An explicit choice (a language option, "english please", "no
   * entiendo inglés") pins it; otherwise each message's detected language is followed, and
   * undecidable ones ("ok") keep it. A pinned language still yields to a message clearly written in
   * the other one. Returns true when the message was only the request, to be confirmed.
   */
  private switchLanguage(session: Session, message: IncomingMessage, u: Understanding | undefined): boolean {
    let target: Lang | undefined;
    if (message.kind === 'option' && (message.option === 'lang:es' || message.option === 'lang:en')) {
      target = message.option.slice(5) as Lang;
    } else if (u?.entities.targetLang && (u.intent === 'language' || u.entities.langRequest)) {
      target = u.entities.targetLang;
    }
    if (target) {
      session.lang = target;
      session.langPinned = true;
      return message.kind === 'option' || u?.intent === 'language' || u?.intent === 'unknown';
    }
    if (!u?.lang || u.lang === session.lang) return false;
    if (!session.langPinned) session.lang = u.lang;
    else if (u.langMargin >= LANG_YIELD_MARGIN && u.tokens.length >= LANG_YIELD_WORDS) session.lang = u.lang;
    return false;
  }

  private route(turn: Turn, message: IncomingMessage, u: Understanding | undefined): Answer {
    switch (message.kind) {
      case 'start':
        turn.session.dialog = undefined;
        if (isPromoterCode(message.payload)) turn.session.promoterCode = message.payload;
        return simple.greeting(turn);
      case 'location':
        return locationReceived(turn, message.location);
      case 'unsupported':
        // No menu: the options offered before stay answerable (Telegram keeps their buttons on screen).
        return { intent: 'unknown', replies: [{ text: turn.t('channel.unsupported_media') }] };
      case 'option':
        return this.option(turn, message.option);
      case 'text':
        return this.text(turn, u as Understanding, message.text);
    }
  }

  private text(turn: Turn, u: Understanding, text: string): Answer {
    // Emergencies found by the rules come first, whatever dialog is in progress.
    if (u.emergency) return simple.emergency(turn, u.emergency);
    const dialog = turn.session.dialog;
    if (dialog?.kind === 'eligibility') {
      const answer = continueEligibility(turn, dialog, { u });
      if (answer) return answer;
    } else if (dialog?.kind === 'facility') {
      const answer = continueFacility(turn, dialog.retries, u, text);
      if (answer) return answer;
    }
    turn.session.dialog = undefined;
    const intent = this.mainIntent(turn, u, text);
    const main = intent === u.intent ? u : { ...u, intent };
    const answer = this.followUp(turn, main, text) ?? this.byIntent(turn, main, text);
    return this.secondAsk(turn, main, text, answer);
  }

  /**
   * Where what the content knows should decide over the classifier's guess: the units near a named
   * place answer "where and when"; a question about who gets a vaccine is answered by the season's
   * rules, not by a fixed FAQ text; an FAQ topic named by its words is that FAQ.
   */
  private mainIntent(turn: Turn, u: Understanding, text: string): Intent {
    const e = u.entities;
    // "estoy en Zapopan, ¿dónde me vacuno y a qué hora abren?"
    if (u.intent === 'hours' && u.asks.includes('facility')) {
      if (e.postalCode || turn.facilities.findPlace(text).kind === 'found') return 'facility';
    }
    // "mi mamá tiene 80, ¿a qué hora la puedo llevar?": the hours (her answer comes second)
    if (u.intent === 'eligibility' && !u.asks.includes('eligibility')) {
      const ask = u.asks.find((i) => i === 'hours' || i === 'facility');
      if (ask) return ask;
    }
    const aboutSomeone = e.people.persons.length > 0 || e.people.asked !== undefined || e.people.topics.group;
    // "¿las embarazadas se pueden poner la de covid?": the pregnancy FAQ's question, the rules' answer
    if (u.intent === 'faq' && !e.illness) {
      const covers = turn.faq.match(u.tokens)?.covers;
      if (covers === 'eligibility' && aboutSomeone) return 'eligibility';
      // "has the campaign started yet?": the hours answer gives today's season and hours
      if (covers === 'hours') return 'hours';
    }
    // "can the flu shot give you the flu?", "cuando se recupere, ¿lo puedo llevar?": an FAQ topic named by
    // its words, where the classifier's guess has no phrase of its own in the message
    if (
      (u.intent === 'eligibility' || u.intent === 'hours' || u.intent === 'facility') &&
      !u.asks.includes(u.intent) &&
      !(u.intent === 'eligibility' && aboutSomeone) &&
      !(u.intent === 'facility' && (e.postalCode || u.asks.length))
    ) {
      if (turn.faq.named(u.tokens).some((t) => t.covers !== u.intent)) return 'faq';
    }
    return u.intent;
  }

  /**
   * A short message that leans on the last turn: "¿y el sábado?" after hours, "tiene diabetes" or
   * "¿y la de covid?" after an eligibility answer, "¿y en Zapopan?" after units were listed.
   */
  private followUp(turn: Turn, u: Understanding, text: string): Answer | undefined {
    const last = turn.session.context?.intent;
    if (!last || u.outOfScope) return undefined;
    const e = u.entities;
    const leaning = e.followUp === true || u.tokens.length <= FOLLOW_UP_WORDS;
    const weak = u.intent === 'unknown' || u.confidence < LOW_CONFIDENCE;
    const aboutPeople = e.people.persons.length > 0 || e.people.asked !== undefined;
    // What the person says about someone matters more here than the classifier's guess on two words;
    // only an explicit other question ("¿y dónde?", "¿a qué hora?") goes elsewhere.
    const otherAsk = u.asks.includes('facility') || u.asks.includes('hours');
    // (unless they are ill or breastfeeding and ask whether they can get it: that is the FAQ)
    const facts = e.people.persons.some(hasFacts);
    // ("and for me, can I get covid and flu the same day?": an FAQ topic it names, when it tells no facts)
    const namedFaq = !facts && turn.faq.named(u.tokens).some((t) => t.covers !== 'eligibility');
    if (
      last === 'eligibility' &&
      !otherAsk &&
      !namedFaq &&
      (!e.illness || facts) &&
      (aboutPeople || e.correction || (e.vaccines && (leaning || weak)))
    )
      return eligibility(turn, u, { followUp: true });
    // "¿y la del covid?" after any answer, while the conversation is about someone: their answer for it.
    if (e.vaccines && e.followUp && leaning && !otherAsk && turn.session.context?.who && !e.illness)
      return eligibility(turn, u, { followUp: true });
    // "¿y cuántos días dura?" after an FAQ answer: the topic those words name.
    if (last === 'faq' && e.followUp && leaning && !aboutPeople && !u.asks.includes('eligibility')) {
      if (turn.faq.match(u.tokens)) return faq(turn, u.tokens);
    }
    if (
      (last === 'hours' || last === 'facility') &&
      e.day &&
      leaning &&
      !aboutPeople &&
      u.intent !== 'facility'
    )
      return hours(turn, e.day);
    if (last === 'facility' && weak && leaning && (e.postalCode || e.followUp)) {
      const answer = facility(turn, u, text);
      if (answer.replies.some((r) => r.facilities)) return answer;
      turn.session.dialog = undefined;
    }
    return undefined;
  }

  /**
   * "tengo 67, me toca y a qué hora abren?": the main answer, then the second question's — another
   * intent asked by its phrases, and an FAQ topic the message clearly names that the main answer
   * does not already cover.
   */
  private secondAsk(turn: Turn, u: Understanding, text: string, answer: Answer): Answer {
    if (!CAN_ADD.has(answer.intent) || u.tokens.length < TWO_ASKS_WORDS) return answer;
    const more: Reply[] = [];
    const asks =
      u.entities.postalCode && !u.asks.includes('facility') ? [...u.asks, 'facility' as const] : u.asks;
    const second = asks.find((i) => i !== answer.intent && i !== 'faq');
    switch (second) {
      case 'hours':
        more.push(...hours(turn, u.entities.day).replies);
        break;
      case 'facility': {
        const place = u.entities.postalCode ? undefined : turn.facilities.findPlace(text);
        if (u.entities.postalCode || place?.kind === 'found') more.push(...facility(turn, u, text).replies);
        else if (!turn.session.dialog) more.push(askLocation(turn));
        break;
      }
      case 'prevention':
        more.push(...simple.prevention(turn).replies);
        break;
      case 'eligibility':
        if (u.entities.people.persons.length || u.entities.people.topics.group)
          more.push(...eligibility(turn, u).replies);
        break;
      default:
        // Someone's age or condition told with another question: their answer too.
        if (answer.intent !== 'eligibility' && u.entities.people.persons.some(hasFacts))
          more.push(...eligibility(turn, u).replies);
    }
    if (answer.intent !== 'faq') {
      const covered = new Set([answer.intent, second]);
      const topic = turn.faq.named(u.tokens).find((t) => !t.covers || !covered.has(t.covers));
      if (topic) more.push(...(faqTopic(turn, topic.id)?.replies ?? []));
    }
    return more.length ? { intent: answer.intent, replies: [...answer.replies, ...more] } : answer;
  }

  private byIntent(turn: Turn, u: Understanding, text: string): Answer {
    switch (u.intent) {
      case 'greeting':
        return simple.greeting(turn);
      case 'help':
        return simple.help(turn);
      case 'eligibility':
        return eligibility(turn, u, {
          followUp:
            u.entities.followUp === true ||
            (u.entities.vaccines !== undefined && u.tokens.length <= FOLLOW_UP_WORDS),
        });
      case 'facility':
        return facility(turn, u, text);
      case 'hours':
        return hours(turn, u.entities.day);
      case 'prevention':
        return simple.prevention(turn);
      case 'faq':
        return faq(turn, u.tokens);
      case 'language':
        return simple.language(turn, false);
      case 'emergency':
        return simple.emergency(turn);
      case 'thanks':
        return simple.thanks(turn);
      case 'unknown': {
        if (u.outOfScope) return simple.unknown(turn, u.outOfScope);
        // Words the classifier did not place but an FAQ topic clearly names ("how do I replace my lost cartilla").
        const topics = turn.faq.named(u.tokens);
        if (topics.length) return faq(turn, u.tokens);
        // A bare place name ("Nezahualcóyotl", "col doctores cdmx") answers "where?" before it is asked.
        if (u.tokens.length <= BARE_PLACE_WORDS) {
          const place = facility(turn, u, text);
          if (place.replies.some((r) => r.facilities || r.options?.some((o) => o.id.startsWith('place:'))))
            return place;
          turn.session.dialog = undefined;
        }
        return simple.unknown(turn);
      }
    }
  }

  private option(turn: Turn, id: string): Answer {
    const dialog = turn.session.dialog;
    if (dialog?.kind === 'eligibility') {
      const answer = continueEligibility(turn, dialog, { option: id });
      if (answer) return answer;
    }
    turn.session.dialog = undefined;
    switch (id) {
      case 'menu':
        return simple.help(turn);
      case 'lang':
        return simple.language(turn, false);
      case 'elig':
        return eligibility(turn);
      case 'elig:me':
        return startPersonal(turn);
      case 'elig:new':
        return startOther(turn);
      case 'facility':
        return facility(turn);
      case 'hours':
        return hours(turn);
      case 'prevention':
        return simple.prevention(turn);
      case 'faq':
        return faqTopics(turn);
    }
    const place = /^place:(\d+)$/.exec(id);
    if (place) return nearest(turn, { kind: 'place', id: Number(place[1]) });
    const page = /^faq:page:(\d+)$/.exec(id);
    if (page) return faqTopics(turn, Number(page[1]));
    const topic = id.startsWith('faq:') ? faqTopic(turn, id.slice(4)) : undefined;
    if (topic) return topic;
    // A stale button (an old dialog's answer, a removed topic): say so and offer the menu.
    return { intent: 'unknown', replies: [{ text: turn.t('option.expired'), options: menu(turn) }] };
  }
}
