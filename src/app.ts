import { AdminReport } from './analytics/admin.js';
import { StatsRecorder } from './analytics/recorder.js';
import type { Config } from './config.js';
import { Engine } from './core/engine.js';
import { createTranslator, type Translate } from './core/i18n.js';
import { FacilityStore, seedDemoFacilities } from './db/facilities.js';
import { type Db, openDb } from './db/open.js';
import { SqlitePostalCodes } from './db/postal.js';
import { localSalt, saltFileFor } from './db/salt.js';
import { SqliteSessionStorage } from './db/sessions.js';
import { SqliteStatsStorage } from './db/stats.js';
import { DirectoryFinder } from './facilities/finder.js';
import { standingBlocks } from './knowledge/campaign.js';
import { faqKeywords, faqVocabulary } from './knowledge/faq.js';
import { type Knowledge, loadKnowledge } from './knowledge/load.js';
import type { Logger } from './log.js';
import { createNlu, type Lang, type Nlu } from './nlu/index.js';
import { loadNluData } from './nlu/lexicon.js';
import { loadNlu } from './nlu/model-cache.js';
import { Outbound } from './outbound/send.js';
import { Gazetteer } from './places/gazetteer.js';
import { placeResolver } from './places/resolver.js';
import { statesFileIn } from './places/states.js';
import { DurableOutbox } from './runner/outbox.js';
import { ConversationRunner } from './runner/runner.js';
import { SessionBuffer } from './runner/session-buffer.js';
import { WRITE_BEHIND_DEFAULTS } from './runner/write-behind.js';
import { MemorySessionStorage, MemoryStatsStorage } from './storage/memory.js';
import type { SessionStorage, StatsStorage } from './storage/ports.js';

export interface App {
  engine: Engine;
  /** Every channel's messages go through it: sessions, order, de-duplication, commands, statistics. */
  runner: ConversationRunner;
  /** One outbound scheduler per channel, registered by the channels. */
  outbound: Outbound;
  /** The send port: replies written with their session change, sent through `outbound`, resent after a crash. */
  outbox: DurableOutbox;
  /** The same translations the engine answers with, for the channels' own words (buttons, commands). */
  translate: (lang: Lang) => Translate;
  db: Db;
  /** Chat records, written behind to their store. */
  sessions: SessionBuffer;
  storage: { sessions: SessionStorage; stats: StatsStorage };
  knowledge: Knowledge;
  nlu: Nlu;
  /** [promoters] Anonymous statistics and referrals, counted by the runner; flush() writes what is pending. */
  stats: StatsRecorder;
  /** [promoters] The /report chat command for ADMIN_IDS (answered by the runner). */
  report: AdminReport;
  /** Writes what is pending (trying for up to `ms`) and closes the database. */
  close(ms?: number): Promise<void>;
}

type AppConfig = Pick<Config, 'DB_PATH' | 'HASH_SALT' | 'DATA_DIR' | 'LOCALES_DIR' | 'DEFAULT_LANG'> &
  Partial<Pick<Config, 'ADMIN_IDS'>> & {
    /** Where sessions and statistics live: the SQLite file (default) or memory (engine tests). */
    storage?: 'sqlite' | 'memory';
  };

/**
 * The content, the trained NLU and the gazetteer: the slow, read-only part, shareable between apps (tests, bench).
 * With `modelDir` the NLU's model is loaded from there when one of the same data and code was saved, else
 * trained and saved there (the bot's start); without it, trained here (tests, `npm run eval`: they measure
 * what the data and code learn now).
 */
export function loadBrain(
  dataDir: string,
  modelDir?: string,
  log?: Logger,
): { knowledge: Knowledge; nlu: Nlu; gazetteer: Gazetteer } {
  const knowledge = loadKnowledge(dataDir);
  const data = loadNluData(dataDir);
  const options = { vocabulary: faqVocabulary(knowledge.faq), hints: { faq: faqKeywords(knowledge.faq) } };
  const nlu = modelDir ? loadNlu(data, options, modelDir, log).nlu : createNlu(data, options);
  return { knowledge, nlu, gazetteer: Gazetteer.load(statesFileIn(dataDir)) };
}

/**
 * The bot's wait for a write lock held by another process (an import): short, because the wait
 * freezes every conversation; a write that does not get the lock is kept and retried with backoff.
 */
const BOT_BUSY_TIMEOUT_MS = 250;

/** How long close() keeps trying to write what is pending by default. */
const CLOSE_MS = 5_000;

/**
 * Builds the bot from its configuration: content (validated), NLU (trained), database (migrated),
 * engine, runner and send port. Separate from main() so tests and benchmarks build the same thing.
 */
export function createApp(config: AppConfig, log?: Logger, brain = loadBrain(config.DATA_DIR)): App {
  const translate = createTranslator(config.LOCALES_DIR);
  const db = openDb(config.DB_PATH, BOT_BUSY_TIMEOUT_MS);
  let salt = config.HASH_SALT;
  if (!salt) {
    // Development convenience only (production requires HASH_SALT): a random salt in its own file.
    salt = localSalt(db, config.DB_PATH);
    log?.warn(
      { file: saltFileFor(config.DB_PATH) },
      'HASH_SALT is not set: using a random salt kept in a file next to the database (set HASH_SALT in production)',
    );
  }
  seedDemoFacilities(db, config.DATA_DIR);
  const facilities = new DirectoryFinder(
    new FacilityStore(db),
    placeResolver(brain.gazetteer, new SqlitePostalCodes(db)),
    standingBlocks(brain.knowledge.campaign),
  );
  const storage =
    config.storage === 'memory'
      ? { sessions: new MemorySessionStorage(), stats: new MemoryStatsStorage() }
      : {
          sessions: new SqliteSessionStorage(db, (err) =>
            log?.warn({ err: String(err) }, 'unreadable session reset'),
          ),
          stats: new SqliteStatsStorage(db),
        };
  const sessions = new SessionBuffer(
    storage.sessions,
    {
      ...WRITE_BEHIND_DEFAULTS,
      onFailing: (err) =>
        log?.error({ err: String(err) }, 'sessions not saved yet: retrying, answering from memory'),
      onRecovered: (attempts) => log?.info({ attempts }, 'sessions saved again'),
    },
    (count) =>
      log?.warn({ count }, 'sessions changed elsewhere (or unreadable when read): the stored ones kept'),
  );
  // [promoters] statistics and referrals: counted in memory, written in batches (same salt as sessions).
  const stats = new StatsRecorder(storage.stats, salt, {
    onFailing: (err) => log?.error({ err: String(err) }, 'statistics not saved yet: retrying'),
    onRecovered: (attempts) => log?.info({ attempts }, 'statistics saved again'),
  });
  const engine = new Engine({ ...brain, translate, facilities, defaultLang: config.DEFAULT_LANG });
  const report = new AdminReport(storage.stats, config.ADMIN_IDS ?? [], translate, () => stats.flush());
  const outbound = new Outbound(log);
  const outbox = new DurableOutbox(sessions, storage.sessions, outbound, salt, log);
  outbound.onBlocked((channel, chat) => outbox.blockedBy(channel, chat));
  const runner = new ConversationRunner({
    engine,
    sessions,
    salt,
    stats,
    report,
    outbox,
    ...(log ? { log } : {}),
  });
  return {
    engine,
    runner,
    outbound,
    outbox,
    translate,
    db,
    sessions,
    storage,
    stats,
    report,
    ...brain,
    close: async (ms = CLOSE_MS) => {
      await runner.idle();
      const deadline = Date.now() + ms;
      const [saved, counted] = await Promise.all([sessions.settle(deadline), stats.settle(deadline)]);
      if (!saved) log?.error({ waiting: sessions.waiting }, 'sessions could not be saved before stopping');
      if (!counted) log?.error({}, 'statistics could not be saved before stopping');
      sessions.close();
      stats.close();
      outbound.close();
      db.close();
    },
  };
}
