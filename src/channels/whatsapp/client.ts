import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../../config.js';
import { sleep, withTimeout } from '../time.js';
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
 * environment (Chromium's zygotes rewrite theirs for their titles, but they stay in the group).
 * None where there is no /proc (not Linux): the group kill is all there is there.
 */
function browserLeftovers(pgid: number, tag?: string): number[] {
  const marker = tag && `${BROWSER_TAG}=${tag}`;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const left: number[] = [];
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      // After "(comm)": state, ppid, pgrp.
      const [state, , group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state === 'Z' || state === 'X') continue;
      if (Number(group) === pgid) left.push(pid);
      else if (marker && readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(marker))
        left.push(pid);
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return left;
}

/**
 * Kills Chromium and every process it started. Puppeteer launches it as the leader of its own
 * process group, so the group dies together (renderers, GPU, zygote); the plain kill is the
 * fallback when the group cannot be signalled. The crash handler leaves the group (it starts a
 * session of its own) and is found by the browser's tag. A killed process takes a moment to go
 * (a renderer frees its memory first): they are waited for, at most `graceMs`.
 */
async function killBrowser(proc: ChildProcess | undefined, graceMs: number, tag?: string): Promise<boolean> {
  if (!proc?.pid) return false;
  if (alive(proc)) await Promise.race([once(proc, 'exit'), sleep(graceMs)]);
  let killed = false;
  try {
    // Even after a clean exit, stragglers of the group (a renderer) are ended here.
    process.kill(-proc.pid, 'SIGKILL');
    killed = true;
  } catch {
    if (alive(proc)) killed = proc.kill('SIGKILL');
  }
  const deadline = Date.now() + graceMs;
  for (;;) {
    const left = browserLeftovers(proc.pid, tag);
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
  return killed;
}

export interface DisposeOptions {
  destroyTimeoutMs: number;
  /** How long a browser may take to exit after destroy() before it is killed. */
  exitGraceMs: number;
  /** How long to watch for a browser that a still-running initialize() launches after we gave up on it. */
  lateLaunchWatchMs: number;
}

/**
 * Ends a client and its browser, whatever state it is in: destroy() (bounded: it hangs when the
 * page does), then SIGKILL for whatever is left. A client whose initialize() was abandoned may
 * launch its browser later (the launch was still running): that one is watched for and killed
 * too, so no Chromium is ever leaked.
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
  if (!proc && pendingInit) watchLateLaunch(client, pendingInit, options);
  return { destroyed };
}

function watchLateLaunch(client: Client, pendingInit: Promise<unknown>, options: DisposeOptions): void {
  const deadline = Date.now() + options.lateLaunchWatchMs;
  const check = () => {
    const late = browserProcess(client);
    if (late) void killBrowser(late, 0, browserTag(client));
    else if (Date.now() < deadline) setTimeout(check, 250).unref();
  };
  // initialize() settling ends the launch either way: check then, and meanwhile poll, since a
  // launched browser may sit on a page load that never settles.
  pendingInit.then(check, check);
  setTimeout(check, 250).unref();
}
