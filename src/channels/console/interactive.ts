import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Engine } from '../../core/engine.js';
import type { IncomingMessage, Option } from '../../core/messages.js';
import { CHANNEL } from './jsonl.js';
import { renderText } from './render.js';

const USER = 'terminal';

/**
 * `npm run chat`: talk to the bot in the terminal. A number picks an offered option;
 * `/ubicacion 19.35,-99.16` (or `/location`) sends a location; `/start CODE` a deep link.
 */
export async function runInteractive(engine: Engine, input: Readable, output: Writable): Promise<void> {
  const rl = createInterface({
    input,
    output,
    prompt: '> ',
    terminal: (output as { isTTY?: boolean }).isTTY ?? false,
  });
  let offered: Option[] = [];
  const say = (message: IncomingMessage) => {
    const outcome = engine.handle(message);
    offered = [];
    for (const reply of outcome.replies) {
      output.write(`${renderText(reply, offered.length + 1)}\n\n`);
      offered.push(...(reply.options ?? []));
    }
  };
  output.write('VacunaBot · escribe "hola" · /ubicacion lat,lon · /salir\n\n');
  rl.prompt();
  for await (const raw of rl) {
    const line = raw.trim();
    const base = { channel: CHANNEL, userId: USER, receivedAt: new Date() };
    if (line === '/salir' || line === '/exit') break;
    const loc = /^\/(?:ubicacion|location)\s+(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)$/.exec(line);
    const start = /^\/start\s+(\S+)$/.exec(line);
    const picked = /^\d{1,2}$/.test(line) ? offered[Number(line) - 1] : undefined;
    if (loc) say({ kind: 'location', location: { lat: Number(loc[1]), lon: Number(loc[2]) }, ...base });
    else if (start) say({ kind: 'start', payload: start[1] as string, ...base });
    else if (picked) say({ kind: 'option', option: picked.id, ...base });
    else if (line) say({ kind: 'text', text: line, ...base });
    rl.prompt();
  }
  rl.close();
}
