import type { Reply } from '../../core/messages.js';

/** A reply as terminal text: options become a numbered list, as on WhatsApp. */
export function renderText(reply: Reply): string {
  const lines = reply.text ? [reply.text] : [];
  reply.options?.forEach((o, i) => {
    lines.push(`  ${i + 1}. ${o.label}`);
  });
  if (reply.location) lines.push(`  📍 ${reply.location.lat}, ${reply.location.lon}`);
  return lines.join('\n');
}
