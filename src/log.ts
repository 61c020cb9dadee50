import pino from 'pino';

/**
 * Logs go to stderr so that stdout stays clean for the console channel's JSON lines.
 * Never log message text: it may carry a phone number or a health detail.
 */
export function createLogger(level: string) {
  return pino({ level, base: undefined }, pino.destination({ fd: 2, sync: true }));
}

export type Logger = ReturnType<typeof createLogger>;
