import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { IncomingMessage } from '../../core/messages.js';
import type { ChannelTraits, ConversationRunner } from '../../runner/runner.js';
import { renderText } from './render.js';

export const CHANNEL = 'terminal';
const USER = 'terminal';
/** Options are printed as a numbered list: typing "2" (or words of a label) picks one, as on WhatsApp. */
export const TRAITS: ChannelTraits = { numbersOptions: true };

/**
 * `npm run chat`: talk to the bot in the terminal. A number picks an offered option;
 * `/ubicacion 19.35,-99.16` (or `/location`) sends a location; `/start CODE` a deep link.
 */
export async function runInteractive(
  runner: ConversationRunner,
  input: Readable,
  output: Writable,
): Promise<void> {
  runner.channel(CHANNEL, TRAITS);
  const rl = createInterface({
    input,
    output,
    prompt: '> ',
    terminal: (output as { isTTY?: boolean }).isTTY ?? false,
  });
  const say = async (message: IncomingMessage) => {
    const outcome = await runner.handle(message);
    let shown = 0;
    for (const reply of outcome?.replies ?? []) {
      output.write(`${renderText(reply, shown + 1)}\n\n`);
      shown += reply.options?.length ?? 0;
    }
  };
  output.write('VacunaBot · escribe "hola" · /ubicacion lat,lon · /salir\n\n');
  rl.prompt();
  for await (const raw of rl) {
    const line = raw.trim();
    const base = { channel: CHANNEL, userId: USER, receivedAt: new Date() };
    if (line === '/salir' || line === '/exit') break;
    const loc = /^\/(?:ubicacion|location)\s+(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)$/.exec(line);
    if (loc) await say({ kind: 'location', location: { lat: Number(loc[1]), lon: Number(loc[2]) }, ...base });
    else if (line) await say({ kind: 'text', text: line, ...base });
    rl.prompt();
  }
  rl.close();
}
