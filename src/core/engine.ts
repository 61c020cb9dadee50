import { FaqMatcher } from '../knowledge/faq.js';
import type { Knowledge } from '../knowledge/load.js';
import type { Intent, Lang, Nlu, Understanding } from '../nlu/index.js';
import { continueEligibility, eligibility, startPersonal } from './eligibility.js';
import { continueFacility, facility, locationReceived, nearest } from './facility.js';
import { faq, faqTopic, faqTopics } from './faq.js';
import { hours } from './hours.js';
import type { Translate } from './i18n.js';
import type { IncomingMessage, Reply } from './messages.js';
import { type FacilityFinder, noFacilityDirectory } from './ports.js';
import type { Session, SessionStore } from './session.js';
import * as simple from './simple-answers.js';
import { type Answer, menu, type Turn } from './turn.js';

/** What the engine answers to one message: the language and intent it used, and the replies. */
export interface Outcome {
  lang: Lang;
  intent: Intent;
  confidence: number;
  replies: Reply[];
}

export interface EngineDeps {
  knowledge: Knowledge;
  nlu: Nlu;
  sessions: SessionStore;
  translate: (lang: Lang) => Translate;
  facilities?: FacilityFinder;
  defaultLang: Lang;
  /** Told about internal failures (never the message text). */
  onError?: (err: unknown) => void;
  /** Told about every answered message, for anonymous statistics and referrals (see TurnRecord). */
  observe?: (record: TurnRecord) => void;
}

/** Below this confidence an answered question still counts as one the bot may have missed. */
export const LOW_CONFIDENCE = 0.6;

/**
 * What happened in one message, for statistics. `text` is given only for messages the bot did not
 * understand (or barely), so content editors can see what to add; the observer must not keep ids.
 */
export interface TurnRecord {
  channel: string;
  userId: string;
  kind: IncomingMessage['kind'];
  lang: Lang;
  intent: Intent;
  confidence: number;
  at: Date;
  text?: string;
  /** A valid promoter code that started this chat (deep link or first message). */
  promoterCode?: string;
}

/** A promoter code: letters A–Z, digits, "-" and "_", 1 to 64 characters (what Telegram allows in a /start payload). */
export const PROMOTER_CODE = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The conversation core: one message in, replies out, synchronously. Knows nothing of channels;
 * every answer is rendered in the person's language from data and locale strings.
 */
export class Engine {
  private readonly faq: FaqMatcher;
  private readonly facilities: FacilityFinder;

  constructor(private readonly deps: EngineDeps) {
    this.faq = new FaqMatcher(deps.knowledge.faq, deps.nlu.tokens);
    this.facilities = deps.facilities ?? noFacilityDirectory;
  }

  handle(message: IncomingMessage): Outcome {
    const { channel, userId } = message;
    let session: Session | undefined;
    try {
      session = this.deps.sessions.load(channel, userId) ?? {
        lang: this.deps.defaultLang,
        langPinned: false,
      };
      const u = message.kind === 'text' ? this.deps.nlu.understand(message.text) : undefined;
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
      this.deps.sessions.save(channel, userId, session);
      const outcome = {
        lang: turn.lang,
        intent: answer.intent,
        confidence: u?.confidence ?? 1,
        replies: answer.replies,
      };
      this.record(message, outcome, u);
      return outcome;
    } catch (err) {
      // One failing message must never take the bot down, nor show the person a stack trace.
      this.deps.onError?.(err);
      const lang = session?.lang ?? this.deps.defaultLang;
      return {
        lang,
        intent: 'unknown',
        confidence: 0,
        replies: [{ text: this.deps.translate(lang)('error.generic') }],
      };
    }
  }

  private record(message: IncomingMessage, outcome: Outcome, u: Understanding | undefined): void {
    if (!this.deps.observe) return;
    // Missed: not understood, or answered on a weak guess. An answer to the bot's own question
    // ("34" after "how old are you?") was understood by the dialog, whatever the classifier thought.
    const missed =
      u !== undefined &&
      !u.emergency &&
      (outcome.intent === 'unknown' || (u.intent === outcome.intent && u.confidence < LOW_CONFIDENCE));
    const code =
      message.kind === 'start' && PROMOTER_CODE.test(message.payload) ? message.payload : undefined;
    const record: TurnRecord = {
      channel: message.channel,
      userId: message.userId,
      kind: message.kind,
      lang: outcome.lang,
      intent: outcome.intent,
      confidence: outcome.confidence,
      at: message.receivedAt,
    };
    // Set only when there is one, not spread in: two spreads cost more than the rest of the record.
    if (missed && message.kind === 'text') record.text = message.text;
    if (code) record.promoterCode = code;
    try {
      this.deps.observe(record);
    } catch (err) {
      // Statistics must never cost anyone their answer.
      this.deps.onError?.(err);
    }
  }

  /**
   * Decides the reply language. An explicit choice (a language option, or "english please") pins
   * it; otherwise each message's detected language is followed, and undecidable ones ("ok") keep it.
   */
  private switchLanguage(session: Session, message: IncomingMessage, u: Understanding | undefined): boolean {
    let target: Lang | undefined;
    if (message.kind === 'option' && (message.option === 'lang:es' || message.option === 'lang:en')) {
      target = message.option.slice(5) as Lang;
    } else if (u?.intent === 'language') target = u.entities.targetLang;
    if (target) {
      session.lang = target;
      session.langPinned = true;
      return true;
    }
    if (!session.langPinned && u?.lang) session.lang = u.lang;
    return false;
  }

  private route(turn: Turn, message: IncomingMessage, u: Understanding | undefined): Answer {
    switch (message.kind) {
      case 'start':
        turn.session.dialog = undefined;
        if (PROMOTER_CODE.test(message.payload)) turn.session.promoterCode = message.payload;
        return simple.greeting(turn);
      case 'location':
        return locationReceived(turn, message.location);
      case 'unsupported':
        return {
          intent: 'unknown',
          replies: [{ text: turn.t('channel.unsupported_media'), options: menu(turn) }],
        };
      case 'option':
        return this.option(turn, message.option);
      case 'text':
        return this.text(turn, u as Understanding, message.text);
    }
  }

  private text(turn: Turn, u: Understanding, text: string): Answer {
    // Emergencies found by the rules come first, whatever dialog is in progress.
    if (u.emergency) return simple.emergency(turn);
    const dialog = turn.session.dialog;
    if (dialog?.kind === 'eligibility') {
      const answer = continueEligibility(turn, dialog, { u });
      if (answer) return answer;
    } else if (dialog?.kind === 'facility') {
      const answer = continueFacility(turn, dialog.retries, u, text);
      if (answer) return answer;
    }
    turn.session.dialog = undefined;
    return this.byIntent(turn, u, text);
  }

  private byIntent(turn: Turn, u: Understanding, text: string): Answer {
    switch (u.intent) {
      case 'greeting':
        return simple.greeting(turn);
      case 'help':
        return simple.help(turn);
      case 'eligibility':
        return eligibility(turn, u.entities);
      case 'facility':
        return facility(turn, u, text);
      case 'hours':
        return hours(turn);
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
      case 'unknown':
        return simple.unknown(turn);
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
        return eligibility(turn, {});
      case 'elig:me':
      case 'elig:new':
        return startPersonal(turn);
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
