import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type App, createApp, loadBrain } from '../src/app.js';
import { answerLine } from '../src/channels/console/jsonl.js';
import type { Logger } from '../src/log.js';

/** Trained once per test file: the content and NLU are read-only and shared by every app built here. */
let brain: ReturnType<typeof loadBrain> | undefined;
export const sharedBrain = () => {
  brain ??= loadBrain('data');
  return brain;
};

export interface ReplyOut {
  text: string;
  options?: { id: string; label: string }[];
  facilities?: unknown[];
}
export interface LineOut {
  user: string;
  lang: 'es' | 'en';
  intent: string;
  replies: ReplyOut[];
  error?: string;
}

/** A temporary folder for a real SQLite file, removed by cleanup(). */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'vacunabot-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export const TEST_SALT = 'test-salt-0123456789abcdef';

/**
 * The bot as createApp builds it, on a real SQLite file; `adminIds` as ADMIN_IDS would list them.
 * `storage: 'memory'` keeps sessions and statistics in memory (the engine's own tests).
 */
export function buildApp(
  dbPath: string,
  adminIds: string[] = [],
  { log, ...options }: { storage?: 'sqlite' | 'memory'; log?: Logger } = {},
): App {
  return createApp(
    {
      DB_PATH: dbPath,
      HASH_SALT: TEST_SALT,
      DATA_DIR: 'data',
      LOCALES_DIR: 'locales',
      DEFAULT_LANG: 'es',
      ADMIN_IDS: adminIds,
      ...options,
    },
    log,
    sharedBrain(),
  );
}

/** The bot with sessions and statistics in memory, and the demo facilities in an in-memory SQLite directory. */
export const memoryApp = (): App => buildApp(':memory:', [], { storage: 'memory' });

/**
 * A conversation through the console channel's JSONL contract, the way botbuilder's TestAdapter
 * works: send a line, get the parsed output line back.
 */
export class Chat {
  constructor(
    private app: App,
    readonly user = 'u1',
    private readonly now = '2025-01-15T10:00:00-06:00',
  ) {}

  line(input: Record<string, unknown>): Promise<LineOut> {
    return this.raw(JSON.stringify({ user: this.user, now: this.now, ...input }));
  }
  /** Sends a raw input line, exactly as it would arrive on stdin. */
  async raw(line: string): Promise<LineOut> {
    return JSON.parse(await answerLine(this.app.runner, line));
  }
  /** The database, with pending session writes flushed first (SQLite writes at once). */
  get db() {
    void this.app.sessions.flush();
    return this.app.db;
  }
  send(text: string, now?: string): Promise<LineOut> {
    return this.line(now ? { text, now } : { text });
  }
  pick(option: string): Promise<LineOut> {
    return this.line({ option });
  }
  location(lat: number, lon: number): Promise<LineOut> {
    return this.line({ location: { lat, lon } });
  }
  start(payload: string): Promise<LineOut> {
    return this.line({ start: payload });
  }
  /** Simulates a restart: a new app on the same database file. */
  async restart(dbPath: string): Promise<void> {
    await this.app.close();
    this.app = buildApp(dbPath);
  }
  close(): Promise<void> {
    return this.app.close();
  }
}

export const allText = (out: LineOut) => out.replies.map((r) => r.text).join('\n');
export const optionIds = (out: LineOut) => out.replies.flatMap((r) => r.options ?? []).map((o) => o.id);
