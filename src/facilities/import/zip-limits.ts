import { open } from 'node:fs/promises';
import { DataError } from '../../errors.js';
import { unreadable } from '../../knowledge/read-data.js';

/**
 * An .xlsx workbook is a zip: before anything is inflated, its central directory (at the end of the
 * file, read in a few bounded reads) says how big each entry unzips to. A zip bomb — a few MB that
 * unzip to gigabytes — is refused there with a clear error, instead of ending in a native abort.
 * A national CLUES workbook (63,800 units, HORARIOS) unzips to about 200 MB, at ratios of about 10.
 */

export interface ZipLimits {
  /** Refused above this many bytes unzipped, all entries together. */
  maxUnzipped: number;
  /** Refused when an entry (over 1 MB unzipped) unzips to more than this many times its size. */
  maxRatio: number;
}

export const ZIP_LIMITS: ZipLimits = { maxUnzipped: 1024 * 2 ** 20, maxRatio: 100 };

/** End of central directory: 22 bytes plus a comment of up to 64 KB. */
const EOCD_MAX = 22 + 0xffff;
/** A workbook's directory lists a few dozen entries; more than this is not a workbook. */
const MAX_DIRECTORY = 16 * 2 ** 20;
const MB = (bytes: number) =>
  bytes < 2 ** 20 ? `${Math.round(bytes / 1024)} KB` : `${Math.round(bytes / 2 ** 20)} MB`;

interface Entry {
  name: string;
  compressed: number;
  uncompressed: number;
}

/** The entries listed in the zip's central directory; undefined when there is none (not a zip). */
async function entries(file: string): Promise<Entry[] | undefined> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    throw unreadable(file, err);
  }
  try {
    const { size } = await handle.stat();
    const read = async (position: number, length: number): Promise<Buffer> => {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, position);
      return buffer.subarray(0, bytesRead);
    };
    const tailStart = Math.max(0, size - EOCD_MAX);
    const tail = await read(tailStart, size - tailStart);
    let at = tail.length - 22;
    while (at >= 0 && tail.readUInt32LE(at) !== 0x06054b50) at--;
    if (at < 0) return undefined;
    let directorySize = tail.readUInt32LE(at + 12);
    let directoryOffset = tail.readUInt32LE(at + 16);
    if (directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
      // ZIP64: the locator, just before, points at the ZIP64 end record with the real numbers.
      const locator = at - 20;
      if (locator < 0 || tail.readUInt32LE(locator) !== 0x07064b50) return undefined;
      const record = await read(Number(tail.readBigUInt64LE(locator + 8)), 56);
      if (record.length < 56 || record.readUInt32LE(0) !== 0x06064b50) return undefined;
      directorySize = Number(record.readBigUInt64LE(40));
      directoryOffset = Number(record.readBigUInt64LE(48));
    }
    if (directorySize > MAX_DIRECTORY) {
      throw new DataError(file, '', `has a zip directory of ${MB(directorySize)}: not a CLUES workbook`);
    }
    const directory = await read(directoryOffset, directorySize);
    const list: Entry[] = [];
    for (let p = 0; p + 46 <= directory.length && directory.readUInt32LE(p) === 0x02014b50; ) {
      let compressed = directory.readUInt32LE(p + 20);
      let uncompressed = directory.readUInt32LE(p + 24);
      const nameLength = directory.readUInt16LE(p + 28);
      const extraLength = directory.readUInt16LE(p + 30);
      const commentLength = directory.readUInt16LE(p + 32);
      const name = directory.toString('utf8', p + 46, p + 46 + nameLength);
      if (uncompressed === 0xffffffff || compressed === 0xffffffff) {
        // ZIP64 extra field (0x0001): the 8-byte sizes, uncompressed first, only those marked 0xffffffff.
        const extra = directory.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength);
        for (let e = 0; e + 4 <= extra.length; e += 4 + extra.readUInt16LE(e + 2)) {
          if (extra.readUInt16LE(e) !== 0x0001) continue;
          let q = e + 4;
          if (uncompressed === 0xffffffff) {
            uncompressed = Number(extra.readBigUInt64LE(q));
            q += 8;
          }
          if (compressed === 0xffffffff) compressed = Number(extra.readBigUInt64LE(q));
          break;
        }
      }
      list.push({ name, compressed, uncompressed });
      p += 46 + nameLength + extraLength + commentLength;
    }
    return list;
  } finally {
    await handle.close();
  }
}

/** Throws a DataError if the workbook would unzip to too much; a file that is no zip is left to the reader. */
export async function checkZipLimits(file: string, limits: ZipLimits = ZIP_LIMITS): Promise<void> {
  const list = await entries(file);
  if (!list) return;
  let total = 0;
  for (const { name, compressed, uncompressed } of list) {
    total += uncompressed;
    if (uncompressed > 2 ** 20 && uncompressed > limits.maxRatio * Math.max(compressed, 1)) {
      throw new DataError(
        file,
        `entry ${name}`,
        `unzips to ${MB(uncompressed)} from ${MB(compressed)}, more than ${limits.maxRatio} times its size: refused as a zip bomb, not read`,
      );
    }
  }
  if (total > limits.maxUnzipped) {
    throw new DataError(
      file,
      '',
      `unzips to ${MB(total)}, more than the ${MB(limits.maxUnzipped)} a CLUES workbook may take: refused, not read`,
    );
  }
}
