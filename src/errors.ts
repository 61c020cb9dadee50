/**
 * Errors typed at the boundary: each kind has one meaning, and carries what failed, so the
 * entry point can print one clear line instead of a stack trace.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly variable: string,
    readonly expected: string,
  ) {
    super(`${variable}: ${expected}`);
  }
}

/** A data file (content, lexicon, import) is unreadable or breaks its schema. */
export class DataError extends Error {
  override readonly name = 'DataError';
  constructor(
    readonly file: string,
    readonly where: string,
    readonly problem: string,
  ) {
    super(`${file}${where ? ` at ${where}` : ''}: ${problem}`);
  }
}
