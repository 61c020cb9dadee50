import type { IncomingMessage } from 'node:http';

/** Webhook bodies are small (a Telegram update is a few KB); anything near this is not from the platform. */
export const MAX_WEBHOOK_BODY = 1024 * 1024;

/** The body was longer than the limit: answer 413; nothing of it was kept. */
export class BodyTooLarge extends Error {
  override readonly name = 'BodyTooLarge';
  constructor(readonly limit: number) {
    super(`body over ${limit} bytes`);
  }
}

/**
 * Reads a request body as text, at most `limit` bytes: a declared Content-Length over it is refused
 * before reading, and a stream that grows past it stops being read (the caller answers 413 and
 * closes), so one client cannot make the process hold megabytes per request.
 */
export async function readBody(req: IncomingMessage, limit = MAX_WEBHOOK_BODY): Promise<string> {
  return (await readRawBody(req, limit)).toString('utf8');
}

/** The body's exact bytes, bounded like readBody: what a signature (WhatsApp's HMAC) is computed over. */
export function readRawBody(req: IncomingMessage, limit = MAX_WEBHOOK_BODY): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(new BodyTooLarge(limit));
  // Events, not for-await: leaving a for-await early destroys the socket, and the 413 could not be sent.
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.off('data', onData).off('end', onEnd).pause();
      chunks.length = 0;
      reject(new BodyTooLarge(limit));
    };
    const onEnd = () => resolve(Buffer.concat(chunks));
    req.on('data', onData).on('end', onEnd).once('error', reject);
  });
}
