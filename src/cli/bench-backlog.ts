/**
 * `npm run bench -- backlog` (or `node --import tsx src/cli/bench-backlog.ts`) — what a backlog
 * of replies costs while it drains at Telegram's pace: 100,000 rendered replies for 20,000 chats
 * (5 each), Telegram's limits, a fake send that takes 30–60 ms. Reports the CPU of the enqueue and
 * of ~20 s of draining, peak RSS and sends/s. Targets: draining ≤ 5% of a core, peak ≤ 300 MB.
 * (The queue this scheduler replaced, one sleeping poll per waiting send, took 62–122% of a core
 * and ~1 GB on the same load.)
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { classifyTelegramError } from '../channels/telegram/errors.js';
import { TELEGRAM_LIMITS } from '../channels/telegram/limits.js';
import { renderReply, type TelegramOp } from '../channels/telegram/render.js';
import { OutboundScheduler } from '../outbound/scheduler.js';

const CHATS = 20_000;
const PER_CHAT = 5;
const DRAIN_MS = 20_000;
const SAMPLE_MS = 250;
const TARGET_CPU_PERCENT = 5;
const TARGET_RSS_MB = 300;

const SENTENCES = [
  'Si tienes 60 años o más, te toca la vacuna contra la influenza y la de COVID-19.',
  'Acude a tu Unidad de Medicina Familiar de lunes a viernes de 8:00 a 20:00 h.',
  'La vacuna es gratuita y no necesitas cita; lleva tu credencial o CURP.',
  'Si estás embarazada, puedes vacunarte en cualquier trimestre del embarazo.',
  'Lávate las manos con frecuencia y cubre tu boca al toser o estornudar.',
];
const OPTIONS = [
  { id: 'elig', label: '¿Me toca?' },
  { id: 'where', label: '¿Dónde me vacuno?' },
  { id: 'hours', label: 'Horarios' },
  { id: 'faq', label: 'Preguntas frecuentes' },
  { id: 'prevent', label: 'Cómo prevenir' },
  { id: 'lang:en', label: 'English' },
];

/** A ~300-character reply with 6 buttons, rendered the way the Telegram channel renders it. */
function reply(chat: number, n: number): TelegramOp {
  const text = [
    `Hola, usuario ${chat} (respuesta ${n}).`,
    SENTENCES[(chat + n) % SENTENCES.length],
    SENTENCES[(chat + n + 1) % SENTENCES.length],
    SENTENCES[(chat + n + 2) % SENTENCES.length],
  ].join(' ');
  return renderReply({ text, options: OPTIONS }, () => 'Enviar ubicación')[0] as TelegramOp;
}

/** A send that takes 30–60 ms, like a Bot API call, without a network. */
const fakeSend = () => new Promise<void>((done) => setTimeout(done, 30 + Math.random() * 30));

const mb = (bytes: number) => bytes / 1024 / 1024;
const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

interface Load {
  enqueue(chat: string, op: TelegramOp): void;
  sent(): number;
  close(): void;
}

/** Enqueues the whole backlog, then samples CPU and RSS while it drains for `drainMs`. */
async function run(name: string, load: Load, drainMs: number): Promise<string[]> {
  let peakRss = mb(process.memoryUsage().rss);
  const enqueueCpu = process.cpuUsage();
  const t0 = performance.now();
  for (let n = 0; n < PER_CHAT; n++)
    for (let chat = 0; chat < CHATS; chat++) load.enqueue(`${chat}`, reply(chat, n));
  const enqueueMs = performance.now() - t0;
  const enqueueCpuMs = cpuMs(enqueueCpu);
  peakRss = Math.max(peakRss, mb(process.memoryUsage().rss));

  const drainCpu = process.cpuUsage();
  const t1 = performance.now();
  const sent0 = load.sent();
  await new Promise<void>((done) => {
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, mb(process.memoryUsage().rss));
      if (performance.now() - t1 >= drainMs) {
        clearInterval(sampler);
        done();
      }
    }, SAMPLE_MS);
  });
  const seconds = (performance.now() - t1) / 1000;
  const cpuPercent = cpuMs(drainCpu) / 10 / seconds;
  const perSecond = (load.sent() - sent0) / seconds;
  load.close();
  peakRss = Math.max(peakRss, process.resourceUsage().maxRSS / 1024);
  const met = cpuPercent <= TARGET_CPU_PERCENT && peakRss <= TARGET_RSS_MB;
  const total = (CHATS * PER_CHAT).toLocaleString('en-US');
  return [
    `  ${name} enqueue: ${total} replies in ${enqueueMs.toFixed(0)} ms (${enqueueCpuMs.toFixed(0)} ms CPU)`,
    `  ${name} draining ${seconds.toFixed(1)} s: CPU ${cpuPercent.toFixed(1)}% of a core, peak RSS ${peakRss.toFixed(0)} MB, ` +
      `${perSecond.toFixed(1)} sends/s; targets (≤ ${TARGET_CPU_PERCENT}% CPU, ≤ ${TARGET_RSS_MB} MB): ${met ? 'met' : 'NOT met'}`,
  ];
}

function scheduler(): Load {
  const s = new OutboundScheduler<TelegramOp>(TELEGRAM_LIMITS, fakeSend, classifyTelegramError);
  return {
    enqueue: (chat, op) => s.enqueue(chat, [op]),
    sent: () => s.stats().sent,
    close: () => s.close(),
  };
}

export async function benchBacklog(): Promise<void> {
  console.log(
    `backlog benchmark: ${(CHATS * PER_CHAT).toLocaleString('en-US')} rendered replies for ${CHATS.toLocaleString('en-US')} chats, ` +
      'Telegram limits (1/s per chat, burst 4, 30/s overall), sends of 30–60 ms',
  );
  for (const line of await run('scheduler', scheduler(), DRAIN_MS)) console.log(line);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await benchBacklog();
