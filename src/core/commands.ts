import type { IncomingMessage } from './messages.js';

/**
 * Slash commands, whatever channel they are typed on: "/start CODE" (Telegram deep links, or typed),
 * "/help", "/ayuda", "/menu", "/idioma", "/language", with an optional "@bot" suffix as Telegram
 * groups write them. Anything else stays text.
 */
const COMMAND = /^\/(\w+)(?:@\w+)?(?:\s+(.*))?$/s;

type Command = { kind: 'start'; payload: string } | { kind: 'option'; option: string };

export function readCommand(text: string): Command | undefined {
  const match = COMMAND.exec(text.trim());
  if (!match) return undefined;
  const [, name, arg] = match;
  switch (name?.toLowerCase()) {
    case 'start':
      return { kind: 'start', payload: (arg ?? '').trim().slice(0, 64) };
    case 'help':
    case 'ayuda':
    case 'menu':
      return { kind: 'option', option: 'menu' };
    case 'idioma':
    case 'language':
      return { kind: 'option', option: 'lang' };
  }
  return undefined;
}

/** The message a command stands for, or the message itself. */
export function withCommand(message: IncomingMessage): IncomingMessage {
  if (message.kind !== 'text') return message;
  const command = readCommand(message.text);
  if (!command) return message;
  const { channel, userId, receivedAt } = message;
  return { ...command, channel, userId, receivedAt };
}
