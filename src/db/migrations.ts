/**
 * Versioned schema changes, applied in order inside one transaction each. The applied version is
 * PRAGMA user_version. Never edit a migration that has shipped: add a new one.
 */
export const migrations: readonly { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
      -- One row per user and channel. user_hash is an HMAC of the channel user id: the raw id is never stored.
      CREATE TABLE sessions (
        user_hash  TEXT PRIMARY KEY,
        state      TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
    `,
  },
];
