import { join } from 'node:path';
import { openDb } from '../../src/db/open.js';
import { SqliteSessionStorage } from '../../src/db/sessions.js';
import { SqliteStatsStorage } from '../../src/db/stats.js';
import { MemorySessionStorage, MemoryStatsStorage } from '../../src/storage/memory.js';
import { tempDir } from '../harness.js';
import { outboxStorageContract, sessionStorageContract, statsStorageContract } from './contract.js';

/** Each store as the bot uses it: a real SQLite file in a temporary folder. */
function sqlite<T>(build: (db: ReturnType<typeof openDb>) => T) {
  return () => {
    const tmp = tempDir();
    const db = openDb(join(tmp.dir, 'bot.db'));
    return {
      store: build(db),
      end: () => {
        db.close();
        tmp.cleanup();
      },
    };
  };
}

sessionStorageContract('memory', () => ({ store: new MemorySessionStorage(), end() {} }));
sessionStorageContract(
  'SQLite',
  sqlite((db) => new SqliteSessionStorage(db)),
);
outboxStorageContract('memory', () => ({ store: new MemorySessionStorage(), end() {} }));
outboxStorageContract(
  'SQLite',
  sqlite((db) => new SqliteSessionStorage(db)),
);
statsStorageContract('memory', () => ({ store: new MemoryStatsStorage(), end() {} }));
statsStorageContract(
  'SQLite',
  sqlite((db) => new SqliteStatsStorage(db)),
);
