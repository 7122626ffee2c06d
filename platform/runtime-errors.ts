/**
 * Errors the runtime hands over instead of an answer that are not faults in Parley's code and
 * are safe to retry (a turn re-sent with its clientMessageId is applied once):
 * - workerd's flags: `retryable` when the connection to an actor was lost (the actor reset, the
 *   runtime dropped it), `overloaded` when an actor refused the call under load;
 * - `SQLITE_NOMEM`: SQLite's memory budget ran out. workerd shares one budget between every
 *   actor of a process (512 MiB in workerd 1.20260426), so a burst of thousands of new actors
 *   can fail an actor's constructor or a turn's transaction with it; the transaction rolled back
 *   and nothing was applied. The error carries no flag, only its message.
 */
export function isTransientRuntimeError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const flags = error as Error & { retryable?: unknown; overloaded?: unknown };
  return flags.retryable === true || flags.overloaded === true || error.message.includes("SQLITE_NOMEM");
}

/** What a client is told when {@link isTransientRuntimeError}: busy, retry with the same id. */
export const TRANSIENT_MESSAGE = "busy for a moment; try again (a turn is safe to re-send with the same clientMessageId)";
