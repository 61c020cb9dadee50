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
  {
    version: 2,
    sql: `
      -- Vaccination units, from the official CLUES catalogue (or the demo set, flagged demo = 1).
      CREATE TABLE facilities (
        clues        TEXT PRIMARY KEY,
        institution  TEXT NOT NULL,   -- CLUES institution code: IMS (IMSS), IMB (IMSS-Bienestar), ...
        name         TEXT NOT NULL,
        kind         TEXT,            -- NOMBRE TIPO ESTABLECIMIENTO (de consulta externa, de hospitalización)
        typology     TEXT,            -- NOMBRE DE TIPOLOGIA (unidad de medicina familiar, ...)
        street       TEXT,
        number       TEXT,
        colonia      TEXT,
        postal_code  TEXT,            -- five digits, leading zeros restored; NULL when unknown (99999)
        locality     TEXT,
        municipality TEXT,
        state        TEXT,
        phone        TEXT,            -- NULL for placeholders such as 0000000000
        lat          REAL NOT NULL,
        lon          REAL NOT NULL,
        schedule     TEXT,            -- JSON Block[] from HORARIOS; NULL = campaign default hours
        source       TEXT NOT NULL,   -- e.g. 'Secretaría de Salud – DGIS, Catálogo CLUES, corte 202604', or 'demo'
        demo         INTEGER NOT NULL DEFAULT 0,
        updated_at   INTEGER NOT NULL
      ) STRICT;
      -- Postal codes joined to a municipality point (SEPOMEX + GeoNames), from npm run import -- postal-codes.
      CREATE TABLE postal_codes (
        code         TEXT PRIMARY KEY,
        lat          REAL NOT NULL,
        lon          REAL NOT NULL,
        municipality TEXT NOT NULL,
        state        TEXT NOT NULL
      ) STRICT;
    `,
  },
  // [promoters] anonymous statistics and referrals (src/analytics/recorder.ts); no ids, no raw text.
  {
    version: 3,
    sql: `
      -- Messages answered, counted per Mexico City day, channel, reply language and intent. Nothing else.
      CREATE TABLE stats_messages (
        day      TEXT NOT NULL,       -- YYYY-MM-DD, America/Mexico_City
        channel  TEXT NOT NULL,
        lang     TEXT NOT NULL,
        intent   TEXT NOT NULL,
        messages INTEGER NOT NULL,
        PRIMARY KEY (day, channel, lang, intent)
      ) STRICT, WITHOUT ROWID;
      -- Questions the bot did not understand: redacted (phones, emails, long numbers) and normalised
      -- text only, counted per day; never with an id.
      CREATE TABLE stats_missed (
        day   TEXT NOT NULL,
        lang  TEXT NOT NULL,
        text  TEXT NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (day, lang, text)
      ) STRICT, WITHOUT ROWID;
      -- People who started a chat through a promoter's link or QR: once per person and code.
      -- user_hash is the same salted HMAC as sessions.user_hash: the raw id is never stored.
      CREATE TABLE referrals (
        user_hash TEXT NOT NULL,
        code      TEXT NOT NULL,
        channel   TEXT NOT NULL,
        day       TEXT NOT NULL,      -- first start with this code, YYYY-MM-DD, America/Mexico_City
        UNIQUE (user_hash, code)
      ) STRICT;
      CREATE INDEX referrals_day ON referrals (day, code);
    `,
  },
  // The conversation runner's records: a version per row, so two writers never overwrite each other.
  {
    version: 4,
    sql: `
      ALTER TABLE sessions ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
    `,
  },
  // The durable outbox: replies owed, written with the session change that produced them.
  {
    version: 5,
    sql: `
      -- Deleted once sent. chat is sealed (AES-GCM, key from the salt): no phone number in the file.
      CREATE TABLE outbox (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        channel    TEXT NOT NULL,
        chat       TEXT NOT NULL,
        body       TEXT NOT NULL,     -- JSON: replies, language, urgent
        created_at INTEGER NOT NULL
      ) STRICT;
      -- Chats that blocked the bot (salted hash, like sessions.user_hash), bounded by the runner.
      CREATE TABLE blocked_chats (
        channel   TEXT NOT NULL,
        chat_hash TEXT NOT NULL,
        since     INTEGER NOT NULL,
        PRIMARY KEY (channel, chat_hash)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX blocked_chats_since ON blocked_chats (since);
    `,
  },
];
