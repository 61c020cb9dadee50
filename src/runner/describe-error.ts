/** Errors are logged by name and message: never with a message's text or a phone number in a stack. */
export function describeError(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
