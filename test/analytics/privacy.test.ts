import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reportCommand } from '../../src/analytics/command.js';
import { createApp } from '../../src/app.js';
import { openDb } from '../../src/db/open.js';
import { saltFileFor } from '../../src/db/salt.js';
import { readReport } from '../../src/db/stats.js';
import { buildApp, Chat, memoryApp, sharedBrain, TEST_SALT, tempDir } from '../harness.js';

// Issue 15, item 9: statistics keep no personal data. Fake but well-formed Mexican identifiers.
const PERSONAL: [said: string, mustNotAppear: string[]][] = [
  ['quien gano el partido? mi curp es GODE561231HDFRRN09', ['GODE561231HDFRRN09', '561231']],
  ['quien gano el partido? mi rfc GODE561231GR8', ['GODE561231GR8', '561231']],
  ['quien gano el partido? nss 12345678901', ['12345678901', '2345678']],
  ['quien gano el partido? llamame al 55 1234 5678', ['1234 5678', '12345678']],
  ['quien gano el partido? tel 55-8765-4321', ['8765-4321', '87654321']],
  ['quien gano el partido? (55) 2468 1357', ['2468 1357', '24681357']],
  ['quien gano el partido? +52 1 55 1357 2468', ['1357 2468', '13572468']],
  ['quien gano el partido? 55.9753.1864', ['9753.1864', '97531864']],
  ['quien gano el partido? 55_3141_5926', ['3141_5926', '31415926']],
  ['quien gano el partido? escribeme a maria.gomez@example.com', ['maria.gomez', 'example.com']],
  ['quien gano el partido? vivo en calle Reforma 123 col. Juárez', ['reforma', 'juárez', 'juarez']],
  ['quien gano el partido? me llamo Fernanda Ruiz', ['fernanda', 'ruiz']],
];

/** The bytes of a file as text, lowercased: what anyone with a copy of it could read. */
const bytes = (file: string) => (existsSync(file) ? readFileSync(file).toString('latin1').toLowerCase() : '');
const utf8 = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').toLowerCase() : '');

const occurrences = (text: string, secret: string) => text.split(secret.toLowerCase()).length - 1;

function report(dbPath: string): string {
  let out = '';
  const status = reportCommand(
    [],
    { DB_PATH: dbPath, HASH_SALT: TEST_SALT },
    { out: (t) => (out += t), err: () => {} },
  );
  expect(status).toBe(0);
  return out.toLowerCase();
}

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

describe('questions not understood are stored without personal data', () => {
  it('keeps none of a CURP, RFC, NSS, phones, e-mail, address or name in the database, its log or the report', async () => {
    const dbPath = join(tmp.dir, 'bot.db');
    // The directory of units names places too ("Benito Juárez"): what counts is what the chats add.
    await buildApp(dbPath).close();
    const stores = () => [
      bytes(dbPath),
      bytes(`${dbPath}-wal`),
      utf8(dbPath),
      utf8(`${dbPath}-wal`),
      report(dbPath),
    ];
    const before = stores();
    for (const [i, [said]] of PERSONAL.entries()) {
      const chat = new Chat(buildApp(dbPath), `person-${i}`);
      expect((await chat.send(said)).intent).toBe('unknown');
      await chat.close();
    }
    const db = openDb(dbPath);
    const { missed } = readReport(db);
    db.close();
    // they were kept, as questions: redacted, not dropped
    expect(missed.reduce((n, m) => n + m.count, 0)).toBe(PERSONAL.length);
    expect(missed.map((m) => m.text)).toContain('quien gano el partido? me llamo [nombre]');
    const after = stores();
    for (const [said, secrets] of PERSONAL)
      for (const secret of secrets)
        for (const [i, where] of after.entries())
          expect(occurrences(where, secret), `${secret} from ${JSON.stringify(said)}`).toBe(
            occurrences(before[i] ?? '', secret),
          );
  });
});

describe('only unanswered messages are kept', () => {
  it('an answered message is not kept, however weak the guess; an unanswered one is', () => {
    const { engine } = memoryApp();
    const at = new Date('2025-01-15T10:00:00-06:00');
    const decide = (text: string) =>
      engine.decide(undefined, { kind: 'text', text, channel: 'console', userId: 'u', receivedAt: at });
    for (const text of [
      'hola',
      'dónde me vacuno',
      'tengo 67 años',
      'vacuna pa mi jefa q ya esta grande',
      'y eso?',
      'quien gano el partido',
    ]) {
      const d = decide(text);
      expect(d.missed !== undefined, text).toBe(d.outcome.intent === 'unknown');
    }
    expect(decide('quien gano el partido').missed).toBe('quien gano el partido');
  });
});

describe('promoter codes that are phone numbers', () => {
  /** What the engine decides for a deep-link start with this payload. */
  const started = async (code: string) => {
    const app = memoryApp();
    const d = app.engine.decide(undefined, {
      kind: 'start',
      payload: code,
      channel: 'telegram',
      userId: 'u',
      receivedAt: new Date(),
    });
    await app.close();
    return d;
  };

  it.each(['5215512345678', '55-1234-5678', '5512345678', '1234567'])(
    '%s is neither a referral nor kept',
    async (code) => {
      const d = await started(code);
      expect(d.promoterCode).toBeUndefined();
      expect(d.session.promoterCode).toBeUndefined();
    },
  );

  it.each(['PROMO-123', 'BRIGADA_7', 'IZT-2025-04'])('%s is a promoter code', async (code) => {
    const d = await started(code);
    expect(d.promoterCode).toBe(code);
    expect(d.session.promoterCode).toBe(code);
  });
});

describe('the development salt (HASH_SALT unset)', () => {
  const start = (dbPath: string) =>
    createApp(
      { DB_PATH: dbPath, DATA_DIR: 'data', LOCALES_DIR: 'locales', DEFAULT_LANG: 'es', ADMIN_IDS: [] },
      undefined,
      sharedBrain(),
    );

  it('lives in its own file next to the database, mode 0600, never in the database', async () => {
    const dbPath = join(tmp.dir, 'bot.db');
    const app = start(dbPath);
    const file = saltFileFor(dbPath);
    expect(file).toBe(join(tmp.dir, 'hash-salt'));
    const salt = readFileSync(file, 'utf8').trim();
    expect(salt.length).toBeGreaterThanOrEqual(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    await new Chat(app).send('hola');
    expect(bytes(dbPath)).not.toContain(salt.toLowerCase());
    expect(bytes(`${dbPath}-wal`)).not.toContain(salt.toLowerCase());
    await app.close();
    // the same salt after a restart: the hashes still match
    const again = start(dbPath);
    expect(readFileSync(file, 'utf8').trim()).toBe(salt);
    await again.close();
    expect(bytes(dbPath)).not.toContain(salt.toLowerCase());
  });

  it("moves an older database's salt to the file once, and wipes it from the database", async () => {
    const dbPath = join(tmp.dir, 'old.db');
    const legacy = 'Legacy-Salt-0123456789abcdefXYZ';
    const old = openDb(dbPath);
    old.prepare("INSERT INTO meta (key, value) VALUES ('local_hash_salt', ?)").run(legacy);
    old.close();
    expect(readFileSync(dbPath).toString('latin1')).toContain(legacy);

    const app = start(dbPath);
    const file = saltFileFor(dbPath);
    expect(readFileSync(file, 'utf8').trim()).toBe(legacy);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(app.db.prepare("SELECT * FROM meta WHERE key = 'local_hash_salt'").all()).toEqual([]);
    expect(bytes(dbPath)).not.toContain(legacy.toLowerCase());
    expect(bytes(`${dbPath}-wal`)).not.toContain(legacy.toLowerCase());
    await app.close();
    expect(bytes(dbPath)).not.toContain(legacy.toLowerCase());
  });

  it('uses var/hash-salt for an in-memory database', () => {
    expect(saltFileFor(':memory:')).toBe(join('var', 'hash-salt'));
  });
});
