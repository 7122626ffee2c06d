/**
 * Errors the runtime hands over instead of an answer. None is a fault in Parley's code, and every
 * call that can meet one is safe to repeat (a turn re-sent with its clientMessageId is applied
 * once), so the client is told to retry: 503 with Retry-After.
 */
export type RuntimeFailure =
  /** workerd's flags: `retryable` (the connection to an actor was lost), `overloaded` (it refused the call) */
  | "flagged"
  /**
   * SQLite's memory budget ran out: workerd shares one budget between every actor of a process
   * (512 MiB in workerd 1.20260426), so a burst of thousands of new actors fails some actors'
   * constructors or transactions with it; what the transaction wrote was rolled back.
   */
  | "storage_out_of_memory"
  /**
   * workerd's internal error, which by design tells nothing but a reference to its own log: seen
   * when the runtime failed an actor around its storage (under a cold burst, SQLite out of
   * memory inside the dev runtime's wrapper, before Parley's constructor could catch anything).
   * Logged as an error, not a warning: a steady stream of them is a runtime fault worth a look.
   */
  | "internal";

const INTERNAL = /^internal error; reference = \w+/;

/** What kind of runtime failure `error` is, or null: an error of Parley's code (a 500). */
export function runtimeFailureOf(error: unknown): RuntimeFailure | null {
  if (!(error instanceof Error)) return null;
  const flags = error as Error & { retryable?: unknown; overloaded?: unknown };
  if (flags.retryable === true || flags.overloaded === true) return "flagged";
  if (error.message.includes("SQLITE_NOMEM")) return "storage_out_of_memory";
  return INTERNAL.test(error.message) ? "internal" : null;
}

/** What a client is told of a runtime failure: busy, retry with the same id. */
export const TRANSIENT_MESSAGE = "busy for a moment; try again (a turn is safe to re-send with the same clientMessageId)";
