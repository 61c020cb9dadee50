import { seasonLine } from './hours.js';
import type { Option } from './messages.js';
import { type Answer, menu, pick, type Turn } from './turn.js';

/** Topics per page of the topic list: enough choice, still short on a phone. */
const PAGE = 6;

export function faqTopic(turn: Turn, id: string): Answer | undefined {
  const topic = turn.knowledge.faq.topics.find((t) => t.id === id);
  if (!topic) return undefined;
  // A live topic answers from today's data (the campaign's dates), not from a text that would go stale.
  const answer = topic.live === 'season' ? seasonLine(turn) : pick(turn, topic.answer);
  return {
    intent: 'faq',
    replies: [
      {
        text: `${pick(turn, topic.title)}\n${answer}`,
        options: [{ id: 'faq', label: turn.t('menu.faq') }, ...menu(turn, 'faq').slice(0, 3)],
      },
    ],
  };
}

/** The list of topics as options, one page at a time. */
export function faqTopics(turn: Turn, page = 1): Answer {
  const topics = turn.knowledge.faq.topics;
  const pages = Math.ceil(topics.length / PAGE);
  const current = Math.min(Math.max(1, page), pages);
  const options: Option[] = topics
    .slice((current - 1) * PAGE, current * PAGE)
    .map((t) => ({ id: `faq:${t.id}`, label: pick(turn, t.title) }));
  options.push({ id: current < pages ? `faq:page:${current + 1}` : 'faq:page:1', label: turn.t('faq.more') });
  return { intent: 'faq', replies: [{ text: turn.t('faq.ask_topic'), options }] };
}

/** A free-text FAQ question: the topic it is about (and a second one if it clearly asks two), or the topic list. */
export function faq(turn: Turn, tokens: readonly string[]): Answer {
  const answers = turn.faq.matchTwo(tokens).flatMap((t) => faqTopic(turn, t.id) ?? []);
  if (!answers.length) return faqTopics(turn);
  return { intent: 'faq', replies: answers.flatMap((a) => a.replies) };
}
