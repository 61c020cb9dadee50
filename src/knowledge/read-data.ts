import { readFileSync } from 'node:fs';
import { type ParseError, parse, printParseErrorCode } from 'jsonc-parser';
import type { z } from 'zod';
import { DataError } from '../errors.js';

/** Renders a zod issue path as `topics[3].answer.es`. */
export function issuePath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');
}

/** The error for a file the system would not give us (missing, a folder, no permission…). */
export function unreadable(file: string, err: unknown): DataError {
  return new DataError(file, '', `cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw unreadable(file, err);
  }
}

/**
 * Text of an exported file: UTF-8 when the bytes are valid UTF-8 (the BOM is dropped), else Latin-1,
 * as Excel on Windows saves CSV and SEPOMEX publishes its catalogue.
 */
export function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // The WHATWG "latin1" decoder is windows-1252: the same letters, plus the curly quotes Excel writes.
    return new TextDecoder('latin1').decode(bytes);
  }
}

/** Reads a JSON data file and validates it; any problem becomes a DataError naming file, path and problem. */
export function readJsonFile<S extends z.ZodType>(file: string, schema: S): z.infer<S> {
  const text = readText(file);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // JSON.parse does not say where; jsonc-parser (strict settings) does.
    const errors: ParseError[] = [];
    parse(text, errors, { disallowComments: true, allowTrailingComma: false });
    const first = errors[0];
    const line = first ? `line ${text.slice(0, first.offset).split('\n').length}` : '';
    throw new DataError(
      file,
      line,
      `is not valid JSON (${first ? printParseErrorCode(first.error) : 'syntax error'})`,
    );
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DataError(file, issue ? issuePath(issue.path) : '', issue?.message ?? 'invalid');
  }
  return parsed.data;
}

/** Reads a JSON-lines file: one value per non-empty line, each validated; errors name the line. */
export function readJsonLinesFile<S extends z.ZodType>(file: string, schema: S): z.infer<S>[] {
  const out: z.infer<S>[] = [];
  readText(file)
    .split('\n')
    .forEach((raw, i) => {
      const line = raw.trim();
      if (!line) return;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        throw new DataError(file, `line ${i + 1}`, 'is not valid JSON');
      }
      const parsed = schema.safeParse(value);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const field = issue ? issuePath(issue.path) : '';
        throw new DataError(
          file,
          `line ${i + 1}${field ? `, field ${field}` : ''}`,
          issue?.message ?? 'invalid',
        );
      }
      out.push(parsed.data);
    });
  return out;
}
