import { type ClassifierState, IntentClassifier } from './classifier.js';
import { EmergencyRules } from './emergency.js';
import { type Entities, EntityExtractor, type OffTopic } from './entities.js';
import { KeywordMatcher } from './keywords.js';
import { LanguageDetector, type LanguageState } from './language.js';
import { INTENTS, type Intent, type Lang, type Lexicon, type NluData, withWrappers } from './lexicon.js';
import { Normalizer } from './normalize.js';
import { hasFacts } from './people.js';

export type { DayRef, Entities, OffTopic } from './entities.js';
export { INTENTS, type Intent, LANGS, type Lang } from './lexicon.js';
export type { PersonFacts, Sex, Who } from './people.js';
export { categoryOf, hasFacts, UNMARKED } from './people.js';

/** Below this probability the classifier's best guess is not trusted: the message is out of scope. */
export const OUT_OF_SCOPE_THRESHOLD = 0.45;

/**
 * The classifier alone may call an emergency only on a real sentence that names a symptom, and
 * confidently: "y mi esposa?" or "y la de covid" must never get the 911 reply.
 */
const EMERGENCY_MIN_TOKENS = 6;
const EMERGENCY_MIN_CONFIDENCE = 0.6;
const SYMPTOM =
  /^(respir|aire|fiebre|calentura|desmay|convuls|sangr|morad|azul|ahog|despiert|inconscien|vomit|urgencia|ambulancia|mare|nubl|alergi|breath|chest|fever|faint|seiz|bleed|purple|blue|unconscious|ambulance|choking|swell|hinch|labios|lips|dizz|vision|allerg|vivir$|viviendo$|morir|muert|matar|suicid|lastim|cortarme$|cortando$|desaparec|pastillas$|alive$|die$|dying$|dead$|kill|hurt$|hurting$|cutting$|disappear|pills$|wake|tieso|stiff|sacud|shaking$|twitch)/;
/** Words of the classifier's emergencies that are about ending one's life: they get the crisis line too. */
const SUICIDE_HINT =
  /^(vivir|viviendo|morir|morirme|muert[oa]|matar|matarme|suicid|lastim|cortarme|cortando|desaparec|pastillas|alive|die|dying|dead|kill|killing|hurting|cutting|disappear|pills|despedida|goodbye)$/;

/**
 * Phrases that ask something of an intent, wherever they are in the message: they decide when the
 * classifier cannot, and a second ask in a message is answered too. (FAQ topics are found by the
 * FAQ matcher, which knows every topic's words.)
 */
const ASKS: [Intent, RegExp][] = [
  [
    'hours',
    /\b(a que hora|que horario|horario|horarios|abren|cierran|abre|cierra|hasta que hora|cuando empieza|cuando termina|hasta cuando|what time|opening hours|open (on|today|tomorrow|now|at)|are they open|close at|hours|until when|right now)\b/,
  ],
  [
    'facility',
    /\b(donde|adonde|a donde|en donde|where|nearest|closest|cerca de mi|cerca de aqui|near me|(en )?que lugar(es)?|lugares donde|which places|what places|(a )?(que|cual) (clinica|unidad|umf|modulo|hospital|centro de salud)|which (clinic|unit|hospital))\b/,
  ],
  [
    'eligibility',
    /\b(me toca|le toca|les toca|nos toca|te toca|me corresponde|le corresponde|que vacunas|cuales vacunas|que vacuna (me|le|les)|quien(es)? (se )?(debe|deben|puede|pueden) (vacunar|recibir|ponerse|aplicarse)|a quien(es)? le(s)? toca|(quiere|quiero|queremos|quieren) (vacunarse|vacunarme|vacunarnos|vacunarlo|vacunarla|ponerse la vacuna|ponerme la vacuna)|wants? to get (vaccinated|the (flu )?shot)|que grupos|which groups|what groups|grupos prioritarios|priority groups?|cuantos anos (hay que|debe|debes|necesita|necesitas|tiene que|tienes que) tener|(a partir|desde) (de )?que edad|que edad (hay que|debe|se necesita|necesita)|how old (do|does) (you|i|he|she|one) (have to|need to) be|from what age|what age|should i (get|be) vaccinated|(?<!why )do i need (a|the|to get) (vaccine|shot|flu shot|vaccinated)|me aplica|aplica (para|a) mi|apply to me|applies to me|which vaccines?|what vaccines?|am i eligible|is (she|he) eligible|who (should|can) get|who is eligible|do i qualify|does (she|he) qualify)\b/,
  ],
  [
    'prevention',
    /\b(como (me|nos|lo|la|los|les) (cuido|cuidamos|protejo|protegemos|prevengo)|como (prevenir|prevengo|evito|evitar)|how (do|can) (i|we) (protect|avoid|prevent)|how to (avoid|prevent|protect))\b/,
  ],
];
/** "¿Qué es el VSR?", "what is tdap for": what a vaccine is, not who gets it. */
const WHAT_IS = /\b(que es|que son|para que (es|sirve|son)|what is|whats|what are|what does)\b/;
/** Which vaccines apply: the eligibility question even when an illness is named. */
const WHICH_VACCINES =
  /\b(que vacunas|cuales vacunas|which vaccines|what vaccines|am i eligible|do i qualify|(me|le|les|nos) toca (la|una|alguna|otra))\b/;
/** "ok the ambulance is here, thank you": whoever thanks is not reporting an emergency (rules still fire). */
const THANKS_ANYWHERE =
  /\b(gracias|agradezco|agradecemos|muy amable|bendiciones|dios (se lo pague|le bendiga|te bendiga)|saludos cordiales|thank you|thanks|thx|appreciate it)\b/;
/** Ill, or asking about after the shot: whether to wait, or what is normal after it. */
const CAN_I =
  /\b(puedo|puede|pueden|podemos|podria|se (la|lo|las|los) (puedo|pueden|puede) poner|me la pongo|lo llevo|la llevo|can (i|he|she|they|my \w+)|should (i|he|she|they|my \w+)|is it (ok|safe)|es normal|is (that|this|it) normal|esperar|wait)\b/;
const AFTER_SHOT =
  /\b(despues de (la|su|sus|mi|la ultima) (vacuna|vacunas|inyeccion|dosis)|desde que (me|la|lo|le) (vacunaron|vacune|pusieron)|ya (me|la|lo|le|nos|les)? ?(vacunaron|vacune|pusieron|inyectaron)|after (the|her|his|my|their|its) (shot|shots|vaccine|vaccines|flu shot|dose)|since (the|her|his|my) (shot|vaccine)|just got (the|her|his|my) (shot|vaccine|flu shot))\b/;
/** A closing message: thanks (or "ok, thanks") with no question in it. */
const THANKS_FIRST =
  /^(ok |okay |va |sale |listo |perfecto |muy bien |gracias )?(muchas |mil |muchisimas )?(gracias|le agradezco|te agradezco|agradezco|thank you|thanks|thx|ty)\b/;

/** Someone giving an identifier: "mi nss es …", "my phone number is …". */
const PERSONAL_ID =
  /\b(mi|my) (nss|curp|rfc|numero|telefono|celular|cel|whatsapp|correo|email|mail|phone|number|ine|credencial)\b/;
const LONG_NUMBER = /\d[\d\s.-]{6,}\d/;
const CURP = /\b[A-Za-z]{4}\d{6}[A-Za-z]{6}[A-Za-z0-9]\d\b/;

/** Greetings and thanks are whole messages: in a longer one they only wrap the question. */
const WRAPPER_MAX_TOKENS = 6;
/** A message this short that names a vaccine and nothing else asks who gets it. */
const SHORT_VACCINE_WORDS = 4;

/** Which kinds of entity a message has: features for the classifier. */
function entityMarks(e: Entities): string[] {
  const marks: string[] = [];
  const persons = e.people.persons;
  if (persons.some((p) => p.ageMonths !== undefined)) marks.push('age');
  if (persons.some((p) => p.pregnant || p.pregnancyWeeks !== undefined)) marks.push('pregnancy');
  if (persons.some((p) => p.conditions?.length)) marks.push('condition');
  if (persons.some((p) => p.worker)) marks.push('worker');
  if (persons.some((p) => p.who !== 'self') || e.people.asked) marks.push('person');
  if (e.vaccines) marks.push('vaccine');
  if (e.postalCode) marks.push('postal');
  if (e.targetLang) marks.push('lang');
  if (e.day) marks.push('day');
  if (e.offTopic && !e.vaccination) marks.push('offtopic');
  if (e.illness) marks.push('illness');
  return marks;
}

export interface Understanding {
  /** The message's language, or undefined when it cannot be told ("ok", "menu", "👍"). */
  lang: Lang | undefined;
  /** How strongly the words lean to `lang` (log-likelihood ratio; larger is surer). */
  langMargin: number;
  intent: Intent;
  /** The classifier's probability for its best guess (1 when a rule decided). */
  confidence: number;
  entities: Entities;
  /** The id of the emergency rule that fired, if one did. */
  emergency: string | undefined;
  /** Set when the message is about something outside the domain (intent is then `unknown`). */
  outOfScope: OffTopic | undefined;
  /** Intents the message also asks for ("tengo 67, me toca y a qué hora abren?" → hours). */
  asks: Intent[];
  tokens: string[];
}

/** What the conversation already knows that changes how a message is read. */
export interface NluHints {
  /** Age of the person the conversation is about: a fever told without naming anyone is theirs. */
  subjectMonths?: number;
}

export interface Nlu {
  understand(text: string, hints?: NluHints): Understanding;
  /** Normalised tokens, for other matchers (FAQ keywords) that must agree with the NLU. */
  tokens(text: string): string[];
  /** Function words of both languages: they say nothing about a topic. */
  stopwords: readonly string[];
}

export interface NluOptions {
  /** Words that other content (FAQ keywords) needs the spelling corrector to know. */
  vocabulary?: readonly string[];
  /** More keyword phrases per intent (FAQ keywords for "faq"), used when the classifier is unsure. */
  hints?: Partial<Record<Intent, readonly string[]>>;
  /** What an earlier training on the same data, options and code learned (model-cache.ts): used instead of training. */
  model?: NluModel;
}

/** Everything training learns from the data, so that a start can load it instead (model-cache.ts). */
export interface NluModel {
  /** The spelling corrector's known words, with repeats (they count as frequency). */
  vocabulary: string[];
  classifier: ClassifierState;
  language: LanguageState;
}

/** A message outside the domain: an animal, another vaccine, or another service or topic with no vaccination in it. */
function outOfScope(e: Entities, tokens: readonly string[], raw: string): OffTopic | undefined {
  // "mi nss es 12345678901", "mi correo es …": personal data the bot must not ask for nor use
  if (PERSONAL_ID.test(tokens.join(' ')) && (LONG_NUMBER.test(raw) || raw.includes('@') || CURP.test(raw)))
    return 'personal-data';
  if (!e.offTopic) return undefined;
  // "traduce al inglés", "translate to english pls": a request to change language, not a translation.
  if (e.offTopic === 'translation' && e.targetLang && tokens.length <= 5) return undefined;
  if (e.offTopic === 'animal' || e.offTopic === 'translation') return e.offTopic;
  if (e.offTopic === 'other-vaccine') return e.vaccines ? undefined : 'other-vaccine';
  return e.vaccination ? undefined : e.offTopic;
}

/**
 * Builds the understanding pipeline from data: normalisation, emergency rules, language
 * detection, intent classification (trained here, from data/nlu/training.jsonl) and entities.
 */
export function createNlu(data: NluData, options: NluOptions = {}): Nlu {
  return buildNlu(data, options).nlu;
}

/** The pipeline, and what it learned: trained here, or given as `options.model` (then nothing is trained). */
export function buildNlu(data: NluData, options: NluOptions = {}): { nlu: Nlu; model: NluModel } {
  const { lexicon } = data;
  const vocabulary = options.model?.vocabulary ?? learnVocabulary(data, options);
  const normalizer = new Normalizer(lexicon, vocabulary, offTopicWords(lexicon));
  const entities = new EntityExtractor(lexicon, (p) => normalizer.tokens(p));
  let model = options.model;
  if (!model) {
    const tokenized = withWrappers(data.training, lexicon).map((e) => {
      const tokens = normalizer.tokens(e.text);
      return { ...e, tokens, marks: entityMarks(entities.extract(tokens)) };
    });
    model = {
      vocabulary,
      classifier: new IntentClassifier(tokenized, INTENTS).state(),
      language: new LanguageDetector(tokenized, lexicon, (t) => normalizer.tokens(t)).state(),
    };
  }
  const classifier = new IntentClassifier(model.classifier, INTENTS);
  const language = new LanguageDetector(model.language, lexicon, (t) => normalizer.tokens(t));
  return { nlu: pipeline(data, options, normalizer, entities, classifier, language), model };
}

/** The words the spelling corrector knows: the training phrases', the lexicon's and the options'. */
function learnVocabulary(data: NluData, options: NluOptions): string[] {
  const { lexicon } = data;
  const extraVocabulary = options.vocabulary ?? [];
  const bootstrap = new Normalizer(lexicon, []);
  const lexiconWords = [
    ...lexicon.vocabulary,
    ...lexicon.stopwords.es,
    ...lexicon.stopwords.en,
    ...Object.values(lexicon.conditions).flat(),
    ...Object.values(lexicon.vaccines).flat(),
    ...Object.values(lexicon.relations).flat(),
    ...Object.values(lexicon.groups).flat(),
    ...lexicon.worker,
    ...lexicon.workerPhrases,
    ...lexicon.pregnancy,
    ...lexicon.languages.es,
    ...lexicon.languages.en,
    ...Object.values(lexicon.replace),
    ...extraVocabulary,
  ];
  return [...data.training.map((e) => e.text), ...lexiconWords].flatMap((t) => bootstrap.tokens(t));
}

/** Out-of-scope words are known as they are, but no typo is corrected into one ("dolio" is not "polio"). */
function offTopicWords(lexicon: Lexicon): string[] {
  const bootstrap = new Normalizer(lexicon, []);
  return Object.values(lexicon.offTopic)
    .flat()
    .flatMap((t) => bootstrap.tokens(t));
}

/** Understanding a message, from the trained parts. */
function pipeline(
  data: NluData,
  options: NluOptions,
  normalizer: Normalizer,
  entities: EntityExtractor,
  classifier: IntentClassifier,
  language: LanguageDetector,
): Nlu {
  const { lexicon } = data;
  const emergency = new EmergencyRules(data.emergency);
  const hints = new KeywordMatcher<Intent>(
    INTENTS.map(
      (intent) => [intent, [...(lexicon.hints[intent] ?? []), ...(options.hints?.[intent] ?? [])]] as const,
    ),
    (p) => normalizer.tokens(p),
  );

  /**
   * When the classifier is unsure: a postal code means "where", a profile (age, pregnancy,
   * condition, job) means "does it apply to me", else the keyword phrases decide, or nothing does.
   */
  const fallback = (tokens: string[], e: Entities, asks: Intent[]): Intent => {
    if (e.postalCode) return 'facility';
    if (e.people.persons.some(hasFacts)) return 'eligibility';
    if (asks[0]) return asks[0];
    const hinted = hints.match(tokens);
    if (hinted === 'emergency') return 'unknown';
    if ((hinted === 'greeting' || hinted === 'thanks') && tokens.length > WRAPPER_MAX_TOKENS)
      return 'unknown';
    // "¿y la de covid?" with nothing before it: who gets that vaccine.
    if (!hinted && e.vaccines && tokens.length <= SHORT_VACCINE_WORDS) return 'eligibility';
    return hinted ?? 'unknown';
  };

  return {
    tokens: (text) => normalizer.tokens(text),
    stopwords: [...lexicon.stopwords.es, ...lexicon.stopwords.en],
    understand(text, hints = {}) {
      const tokens = normalizer.tokens(text);
      const normalised = tokens.join(' ');
      const found = entities.extract(tokens);
      const margin = language.score(tokens);
      const lang = language.decide(margin);
      const asks = ASKS.filter(([, re]) => re.test(normalised)).map(([intent]) => intent);
      // One object per message, filled in below (no spreads: this runs on every message).
      const u: Understanding = {
        lang,
        langMargin: Math.abs(margin),
        intent: 'unknown',
        confidence: 1,
        entities: found,
        emergency: undefined,
        outOfScope: undefined,
        asks,
        tokens,
      };
      const celsius = emergency.temperature(text, normalised);
      const { rule, past } = emergency.match(normalised, celsius, found.people, hints.subjectMonths);
      if (rule) {
        u.intent = 'emergency';
        u.emergency = rule;
        return u;
      }
      u.outOfScope = outOfScope(found, tokens, text);
      if (u.outOfScope) return u;
      const p = classifier.predict(tokens, entityMarks(found));
      let intent = p.intent;
      // Rules decide emergencies; the classifier is a second net (a false alarm costs less than a miss),
      // trusted only on a real sentence that names a symptom.
      if (
        intent === 'emergency' &&
        (past ||
          tokens.length < EMERGENCY_MIN_TOKENS ||
          p.confidence < EMERGENCY_MIN_CONFIDENCE ||
          THANKS_ANYWHERE.test(normalised) ||
          !tokens.some((t) => SYMPTOM.test(t)))
      )
        intent = p.second;
      else if (intent === 'emergency') {
        // Said, then, by the classifier: thoughts of ending one's life get the crisis line too.
        u.intent = 'emergency';
        u.emergency = tokens.some((t) => SUICIDE_HINT.test(t)) ? 'suicide-classifier' : 'classifier';
        u.confidence = p.confidence;
        return u;
      }
      if ((intent === 'greeting' || intent === 'thanks') && tokens.length > WRAPPER_MAX_TOKENS)
        intent = p.second;
      // "what about the rsv one", "¿y la de covid?": a vaccine and nothing else asks who gets it
      // ("¿qué es el VSR?" asks what it is: the FAQ)
      if (
        found.vaccines &&
        !WHAT_IS.test(normalised) &&
        tokens.length <= SHORT_VACCINE_WORDS + 1 &&
        (intent === 'help' || intent === 'greeting' || intent === 'thanks' || intent === 'unknown')
      )
        intent = 'eligibility';
      // "ok gracias, igual le pregunto a mi umf", "Agradezco de antemano su atención. Saludos cordiales.":
      // a goodbye, whatever else it names, when it asks nothing
      if (
        (THANKS_FIRST.test(normalised) || THANKS_ANYWHERE.test(normalised)) &&
        !text.includes('?') &&
        !asks.length &&
        !found.vaccines &&
        !found.people.persons.some(hasFacts)
      )
        intent = 'thanks';
      // An intent a rule above chose stands; the classifier's own guess only when it is sure.
      const sure = p.known > 0 && p.confidence >= OUT_OF_SCOPE_THRESHOLD;
      let decided =
        intent !== 'unknown' && (intent !== p.intent || sure) ? intent : fallback(tokens, found, asks);
      const facts = found.people.persons.some(hasFacts);
      // A temperature is a symptom too ("tiene 37.8 después de la vacuna").
      if (celsius !== undefined) found.illness = true;
      const afterShot = AFTER_SHOT.test(normalised);
      if (
        decided === 'eligibility' &&
        !WHICH_VACCINES.test(normalised) &&
        (afterShot || (found.illness && CAN_I.test(normalised)))
      ) {
        // "mi hijo de 3 años tiene mocos, ¿se puede vacunar?", "le dio 37.8 después de la vacuna",
        // "ya vacunaron a mi hija, ¿cuánto nos quedamos?": whether to wait, or what is normal after it
        decided = 'faq';
      } else if (
        decided !== 'eligibility' &&
        asks.includes('eligibility') &&
        !found.illness &&
        !(asks.includes('facility') && !facts) &&
        (facts || !asks.includes(decided))
      ) {
        // "tengo 24 semanas, ¿qué vacunas me tocan?", "¿qué vacunas hay?": that is the question
        decided = 'eligibility';
      }
      // "ok what about me, i'm 61": an age or a condition is a question about vaccines, not a greeting
      if (facts && (decided === 'help' || decided === 'greeting' || decided === 'thanks'))
        decided = 'eligibility';
      // A bare "sí", "no" or number that no open question was waiting for answers nothing.
      if ((found.yes || found.no) && tokens.length <= 2 && decided !== 'thanks') decided = 'unknown';
      if (tokens.length && tokens.every((t) => /^\d{1,3}$/.test(t))) decided = 'unknown';
      u.intent = decided;
      u.confidence = p.confidence;
      return u;
    },
  };
}
