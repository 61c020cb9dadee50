import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../../config.js';
import { sleep, withTimeout } from '../../timers.js';
import { CHROMIUM_ARGS } from './constants.js';
import { Client, type ClientOptions, LocalAuth } from './wwebjs.js';

export type ClientConfig = Pick<Config, 'PUPPETEER_EXECUTABLE_PATH' | 'WHATSAPP_SESSION_DIR'>;

/**
 * An environment variable set, with a value of its own, for each client's Chromium. Every process
 * that browser starts inherits it, including the crash handler that leaves the browser's process
 * group (it starts a session of its own), so the tag finds them all when the browser is ended.
 */
export const BROWSER_TAG = 'VACUNABOT_BROWSER';

/** The whatsapp-web.js options for our deployment; `extraArgs` adds Chromium flags (tests: a proxy). */
export function clientOptions(
  config: ClientConfig,
  extraArgs: readonly string[] = [],
  tag: string = randomUUID(),
): ClientOptions {
  return {
    // The linked-device session lives here: pair once, restart without a new QR.
    authStrategy: new LocalAuth({ dataPath: config.WHATSAPP_SESSION_DIR }),
    // whatsapp-web.js caches the WhatsApp Web page it loads; keep it with the session, not in the
    // working directory (its default is ./.wwebjs_cache).
    webVersionCache: { type: 'local', path: join(config.WHATSAPP_SESSION_DIR, 'web-cache') },
    puppeteer: {
      executablePath: config.PUPPETEER_EXECUTABLE_PATH,
      headless: true,
      args: [...CHROMIUM_ARGS, ...extraArgs],
      // Puppeteer would exit the process on SIGINT: our shutdown drains replies first, then
      // closes the browser (puppeteer still kills it if the process exits some other way).
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      env: { ...process.env, [BROWSER_TAG]: tag },
    },
  };
}

const tags = new WeakMap<Client, string>();

export function createClient(config: ClientConfig, extraArgs: readonly string[] = []): Client {
  const tag = randomUUID();
  const client = new Client(clientOptions(config, extraArgs, tag));
  tags.set(client, tag);
  return client;
}

/** The tag carried by the processes of a client's browser (see BROWSER_TAG). */
export function browserTag(client: Client): string | undefined {
  return tags.get(client);
}

/** The Chromium process behind a client, once whatsapp-web.js has launched it. */
export function browserProcess(client: Client): ChildProcess | undefined {
  return client.pupBrowser?.process() ?? undefined;
}

const alive = (p: ChildProcess) => p.exitCode === null && p.signalCode === null;

/**
 * Processes still running (not zombies) in process group `pgid`, or carrying `tag` in their
 * environment (Chromium's zygotes rewrite theirs for their titles, but they stay in the group),
 * or in the group of a process carrying it (a browser whose launch whatsapp-web.js had not
 * finished, so `pgid` is not known). None where there is no /proc (not Linux): the group kill is
 * all there is there.
 */
function browserLeftovers(pgid: number | undefined, tag?: string): number[] {
  const marker = tag && `${BROWSER_TAG}=${tag}`;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const groups = new Set(pgid ? [pgid] : []);
  const running: { pid: number; group: number }[] = [];
  const left = new Set<number>();
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      // After "(comm)": state, ppid, pgrp.
      const [state, , group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state === 'Z' || state === 'X') continue;
      running.push({ pid, group: Number(group) });
      if (groups.has(Number(group))) left.add(pid);
      else if (marker && readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(marker)) {
        left.add(pid);
        if (Number(group) === pid) groups.add(pid);
      }
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  for (const { pid, group } of running) if (groups.has(group)) left.add(pid);
  return [...left];
}

/**
 * A SIGKILLed process cannot refuse, but its exit takes a moment (a renderer frees its memory
 * first), longer on a loaded machine: it is waited for up to this, so that a disposed browser is
 * really gone.
 */
const KILLED_EXIT_MS = 10_000;

/**
 * Kills Chromium and every process it started. Puppeteer launches it as the leader of its own
 * process group, so the group dies together (renderers, GPU, zygote); the plain kill is the
 * fallback when the group cannot be signalled. The crash handler leaves the group (it starts a
 * session of its own) and is found by the browser's tag, as is a browser not known yet (`proc`
 * undefined). `graceMs` is how long a browser closing on its own may take before it is killed.
 */
async function killBrowser(proc: ChildProcess | undefined, graceMs: number, tag?: string): Promise<void> {
  if (!proc?.pid && !tag) return;
  if (proc?.pid) {
    if (alive(proc)) await Promise.race([once(proc, 'exit'), sleep(graceMs)]);
    try {
      // Even after a clean exit, stragglers of the group (a renderer) are ended here.
      process.kill(-proc.pid, 'SIGKILL');
    } catch {
      if (alive(proc)) proc.kill('SIGKILL');
    }
  }
  const deadline = Date.now() + KILLED_EXIT_MS;
  for (;;) {
    const left = browserLeftovers(proc?.pid, tag);
    if (left.length === 0) break;
    for (const pid of left) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    if (Date.now() >= deadline) break;
    await sleep(20);
  }
}

export interface DisposeOptions {
  destroyTimeoutMs: number;
  /** How long a browser may take to exit after destroy() before it is killed. */
  exitGraceMs: number;
  /** How long to wait for an initialize() given up on before its browser was known to end its launch. */
  lateLaunchWatchMs: number;
}

/**
 * Ends a client and its browser, whatever state it is in: destroy() (bounded: it hangs when the
 * page does), then SIGKILL for whatever is left, waited for until it is gone. A client whose
 * initialize() was abandoned may still be launching its browser: that launch is waited for
 * (bounded) and what it started is killed too, so no Chromium outlives its client.
 */
export async function disposeClient(
  client: Client,
  pendingInit: Promise<unknown> | undefined,
  options: DisposeOptions,
): Promise<{ destroyed: 'ok' | 'failed' | 'timeout' }> {
  const proc = browserProcess(client);
  let destroyed: 'ok' | 'failed' | 'timeout' = 'ok';
  try {
    await withTimeout(client.destroy(), options.destroyTimeoutMs, () => new Error('destroy timeout'));
  } catch (err) {
    destroyed = (err as Error).message === 'destroy timeout' ? 'timeout' : 'failed';
  }
  await killBrowser(proc, options.exitGraceMs, browserTag(client));
  if (!proc && pendingInit) await endLateLaunch(client, pendingInit, options);
  return { destroyed };
}

/**
 * Until initialize() settles (at most `lateLaunchWatchMs`), kills every browser it launches, found
 * by its tag before whatsapp-web.js knows it: a killed browser fails the launch, so this is short.
 */
async function endLateLaunch(client: Client, pendingInit: Promise<unknown>, options: DisposeOptions) {
  let settled = false;
  const settling = pendingInit.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  const deadline = Date.now() + options.lateLaunchWatchMs;
  while (!settled && Date.now() < deadline) {
    await killBrowser(browserProcess(client), 0, browserTag(client));
    await Promise.race([settling, sleep(250)]);
  }
  await killBrowser(browserProcess(client), 0, browserTag(client));
}
