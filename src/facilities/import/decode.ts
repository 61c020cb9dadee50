import { isAscii, isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { DataError } from '../../errors.js';
import { unreadable } from '../../knowledge/read-data.js';

/**
 * A CSV export streamed as text, in bounded memory. The encoding is decided per file, the way
 * decodeText decides it for a whole file: UTF-8 when the bytes are UTF-8 (a BOM settles it), else
 * Latin-1 (windows-1252, as Excel on Windows saves CSV). The decision is taken at the first line with a
 * byte above ASCII, and kept: a later line that is not valid UTF-8 in a file already read as UTF-8 is a
 * stray byte from another encoding, and fails with its line rather than garbling every accent.
 */

/** Bytes read up front: enough for the BOM and the header line (the delimiter). */
export const SAMPLE_BYTES = 64 * 1024;

/** A longer line (no line break in it) is not a catalogue row. */
const MAX_LINE_BYTES = 16 * 2 ** 20;

const UTF16 = 'is UTF-16: save it as UTF-8 or the original Latin-1 CSV';

/** The first bytes of the file, for the BOM and the header line. */
export async function readSample(file: string, bytes = SAMPLE_BYTES): Promise<Buffer> {
  try {
    const handle = await open(file, 'r');
    try {
      const buffer = Buffer.alloc(bytes);
      const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (err) {
    throw unreadable(file, err);
  }
}

/** Refuses UTF-16 (with a BOM, or the NUL bytes of ASCII text written as UTF-16 without one). */
export function checkNotUtf16(file: string, sample: Uint8Array): void {
  const bom =
    sample.length >= 2 &&
    ((sample[0] === 0xff && sample[1] === 0xfe) || (sample[0] === 0xfe && sample[1] === 0xff));
  if (bom || sample.subarray(0, 4096).includes(0)) throw new DataError(file, '', UTF16);
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const latin1 = new TextDecoder('latin1', { ignoreBOM: true });

type Encoding = 'undecided' | 'utf-8' | 'latin1';

/** Decodes blocks of whole lines; `line` is the 1-based number of the block's first line. */
class LineDecoder {
  private encoding: Encoding;

  constructor(
    private readonly file: string,
    sample: Uint8Array,
  ) {
    const utf8Bom = sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf;
    this.encoding = utf8Bom ? 'utf-8' : 'undecided';
  }

  decode(block: Buffer, line: number): string {
    if (isAscii(block)) return latin1.decode(block); // the same text in either encoding
    if (this.encoding === 'latin1') return latin1.decode(block);
    if (isUtf8(block)) {
      this.encoding = 'utf-8';
      return utf8.decode(block);
    }
    // Line by line: the first line above ASCII decides an undecided file; a bad line in UTF-8 fails.
    const parts: string[] = [];
    let start = 0;
    let n = line;
    while (start < block.length) {
      const nl = block.indexOf(0x0a, start);
      const end = nl === -1 ? block.length : nl + 1;
      const bytes = block.subarray(start, end);
      if (this.encoding === 'latin1' || isAscii(bytes)) parts.push(latin1.decode(bytes));
      else if (isUtf8(bytes)) {
        this.encoding = 'utf-8';
        parts.push(utf8.decode(bytes));
      } else if (this.encoding === 'utf-8') {
        throw new DataError(
          this.file,
          `line ${n}`,
          'is not valid UTF-8 while the lines before it are: a byte from another encoding (Latin-1?) in a UTF-8 file; fix that line, or save the whole file in one encoding',
        );
      } else {
        this.encoding = 'latin1';
        parts.push(latin1.decode(bytes));
      }
      start = end;
      n++;
    }
    return parts.join('');
  }
}

/** The file as text, in chunks that end at a line break (the last one at the end of the file). */
export async function* decodedChunks(file: string, sample: Uint8Array): AsyncGenerator<string> {
  checkNotUtf16(file, sample);
  const decoder = new LineDecoder(file, sample);
  let carry: Buffer = Buffer.alloc(0);
  let line = 1;
  const emit = (block: Buffer): string => {
    const text = decoder.decode(block, line);
    for (let i = block.indexOf(0x0a); i !== -1; i = block.indexOf(0x0a, i + 1)) line++;
    return text;
  };
  for await (const chunk of createReadStream(file, { highWaterMark: SAMPLE_BYTES })) {
    const bytes = carry.length ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    const last = bytes.lastIndexOf(0x0a);
    if (last === -1) {
      if (bytes.length > MAX_LINE_BYTES) {
        throw new DataError(
          file,
          `line ${line}`,
          `is longer than ${MAX_LINE_BYTES / 2 ** 20} MB: not a CSV export`,
        );
      }
      carry = bytes;
      continue;
    }
    carry = bytes.subarray(last + 1);
    yield emit(bytes.subarray(0, last + 1));
  }
  if (carry.length) yield emit(carry);
}
