import type { Statement } from 'better-sqlite3';
import type { PostalCodeRow, PostalCodes } from '../places/postal.js';
import type { Db } from './open.js';

/** The postal_codes table (filled by `npm run import -- postal-codes`), one prepared lookup. */
export class SqlitePostalCodes implements PostalCodes {
  // Prepared once: preparing costs more than the lookup itself.
  private readonly lookup: Statement<[string], PostalCodeRow>;

  constructor(db: Db) {
    this.lookup = db.prepare<[string], PostalCodeRow>(
      'SELECT lat, lon, municipality, state FROM postal_codes WHERE code = ?',
    );
  }

  get(code: string): PostalCodeRow | undefined {
    return this.lookup.get(code);
  }
}
