import { randomBytes } from 'node:crypto';
import { AdminReport, provideAdminReport } from './analytics/admin.js';
import { StatsRecorder } from './analytics/recorder.js';
import type { Config } from './config.js';
import { Engine } from './core/engine.js';
import { createTranslator, type Translate } from './core/i18n.js';
import { FacilityStore, seedDemoFacilities } from './db/facilities.js';
import { type Db, metaValue, openDb } from './db/open.js';
import { SqlitePostalCodes } from './db/postal.js';
import { SqliteSessionStore } from './db/sessions.js';
import { DirectoryFinder } from './facilities/finder.js';
import { standingBlocks } from './knowledge/campaign.js';
import { faqKeywords, faqVocabulary } from './knowledge/faq.js';
import { type Knowledge, loadKnowledge } from './knowledge/load.js';
import type { Logger } from './log.js';
import { createNlu, type Lang, type Nlu } from './nlu/index.js';
import { loadNluData } from './nlu/lexicon.js';
import { Gazetteer } from './places/gazetteer.js';
import { placeResolver } from './places/resolver.js';
import { statesFileIn } from './places/states.js';

export interface App {
  engine: Engine;
  /** The same translations the engine answers with, for the channels' own words (buttons, commands). */
  translate: (lang: Lang) => Translate;
  db: Db;
  sessions: SqliteSessionStore;
  knowledge: Knowledge;
  nlu: Nlu;
  /** [promoters] Anonymous statistics and referrals, fed by the engine; flush() writes what is pending. */
  stats: StatsRecorder;
  /** [promoters] The /report chat command for ADMIN_IDS (the channels ask it through adminReply(engine, …)). */
  report: AdminReport;
  close(): void;
}

type AppConfig = Pick<Config, 'DB_PATH' | 'HASH_SALT' | 'DATA_DIR' | 'LOCALES_DIR' | 'DEFAULT_LANG'> &
  Partial<Pick<Config, 'ADMIN_IDS'>>;

/** The content, the trained NLU and the gazetteer: the slow, read-only part, shareable between apps (tests, bench). */
export function loadBrain(dataDir: string): { knowledge: Knowledge; nlu: Nlu; gazetteer: Gazetteer } {
  const knowledge = loadKnowledge(dataDir);
  const nlu = createNlu(loadNluData(dataDir), {
    vocabulary: faqVocabulary(knowledge.faq),
    hints: { faq: faqKeywords(knowledge.faq) },
  });
  return { knowledge, nlu, gazetteer: Gazetteer.load(statesFileIn(dataDir)) };
}

/**
 * Builds the bot from its configuration: content (validated), NLU (trained), database (migrated)
 * and engine. Separate from main() so tests and benchmarks build the same thing.
 */
export function createApp(config: AppConfig, log?: Logger, brain = loadBrain(config.DATA_DIR)): App {
  const translate = createTranslator(config.LOCALES_DIR);
  const db = openDb(config.DB_PATH);
  let salt = config.HASH_SALT;
  if (!salt) {
    // Development convenience only (production requires HASH_SALT): a random salt kept with the data.
    salt = metaValue(db, 'local_hash_salt', () => randomBytes(32).toString('base64url'));
    log?.warn(
      'HASH_SALT is not set: using a random salt stored in the database (set HASH_SALT in production)',
    );
  }
  seedDemoFacilities(db, config.DATA_DIR);
  const facilities = new DirectoryFinder(
    new FacilityStore(db),
    placeResolver(brain.gazetteer, new SqlitePostalCodes(db)),
    standingBlocks(brain.knowledge.campaign),
  );
  const sessions = new SqliteSessionStore(db, salt, (err) =>
    log?.warn({ err: String(err) }, 'unreadable session reset'),
  );
  // [promoters] statistics and referrals: counted in memory, written in batches (same salt as sessions).
  const stats = new StatsRecorder(db, salt, (err) =>
    log?.error({ err: String(err) }, 'statistics not saved'),
  );
  const engine = new Engine({
    ...brain,
    sessions,
    translate,
    facilities,
    defaultLang: config.DEFAULT_LANG,
    onError: (err) => log?.error({ err }, 'message failed'),
    observe: stats.observe,
  });
  const report = new AdminReport(db, config.ADMIN_IDS ?? [], translate, () => stats.flush());
  provideAdminReport(engine, report);
  return {
    engine,
    translate,
    db,
    sessions,
    stats,
    report,
    ...brain,
    close: () => {
      sessions.flush();
      stats.flush();
      db.close();
    },
  };
}
