import type { Reply } from '../../core/messages.js';

/**
 * A reply as terminal text: options become a numbered list, as on WhatsApp. Numbering starts at
 * `first` so that options of several replies in one answer each keep a distinct number.
 */
export function renderText(reply: Reply, first = 1): string {
  const lines = reply.text ? [reply.text] : [];
  reply.options?.forEach((o, i) => {
    lines.push(`  ${first + i}. ${o.label}`);
  });
  if (reply.location) lines.push(`  📍 ${reply.location.lat}, ${reply.location.lon}`);
  return lines.join('\n');
}
