import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { z } from 'zod';
import { type IncomingMessage, LatLon } from '../../core/messages.js';
import { issuePath } from '../../knowledge/read-data.js';
import type { ConversationRunner } from '../../runner/runner.js';

export const CHANNEL = 'console';

/** One input line of `npm run chat -- --jsonl` (contract in DESIGN.md). */
const InputLine = z
  .object({
    user: z.string().min(1).max(200),
    text: z.string().optional(),
    location: LatLon.optional(),
    option: z.string().max(64).optional(),
    start: z.string().max(64).optional(),
    now: z.iso.datetime({ offset: true }).optional(),
  })
  .strict()
  .refine((l) => [l.text, l.location, l.option, l.start].filter((x) => x !== undefined).length === 1, {
    message: 'exactly one of text, location, option, start',
  });

function toMessage(line: z.infer<typeof InputLine>, receivedAt: Date): IncomingMessage {
  const base = { channel: CHANNEL, userId: line.user, receivedAt };
  if (line.location) return { kind: 'location', location: line.location, ...base };
  if (line.option !== undefined) return { kind: 'option', option: line.option, ...base };
  if (line.start !== undefined) return { kind: 'start', payload: line.start, ...base };
  return { kind: 'text', text: line.text ?? '', ...base };
}

/** Answers one input line with exactly one output line (an `{"error"}` line for bad input). */
export async function answerLine(
  runner: ConversationRunner,
  raw: string,
  clock: () => Date = () => new Date(),
): Promise<string> {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return JSON.stringify({ error: 'invalid JSON' });
  }
  const parsed = InputLine.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issuePath(issue.path)}: ` : '';
    return JSON.stringify({ error: `${where}${issue?.message ?? 'invalid input'}` });
  }
  const line = parsed.data;
  // Console lines carry no message id: every line is answered.
  const outcome = await runner.handle(toMessage(line, line.now ? new Date(line.now) : clock()));
  // Exactly the reply fields of the contract in DESIGN.md: channel hints such as requestLocation stay out.
  const replies = (outcome?.replies ?? []).map(({ text, options, location, facilities }) => ({
    text,
    options,
    location,
    facilities,
  }));
  return JSON.stringify({ user: line.user, lang: outcome?.lang, intent: outcome?.intent, replies });
}

/** Reads JSON lines until end of input, writing one line per input, in order. */
export async function runJsonl(runner: ConversationRunner, input: Readable, output: Writable): Promise<void> {
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const raw of lines) {
    if (!raw.trim()) continue;
    const out = await answerLine(runner, raw);
    if (!output.write(`${out}\n`)) await new Promise((resolve) => output.once('drain', resolve));
  }
}
