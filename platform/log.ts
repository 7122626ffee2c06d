export type LogLevel = "debug" | "info" | "warn" | "error";

const SEVERITY: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** The lowest level written, per isolate: LOG_LEVEL of the Worker's env (default info). */
let threshold = SEVERITY.info;

/**
 * Applies the LOG_LEVEL var (debug | info | warn | error; anything else means info). Every entry
 * point calls it with its env — the gateway, the queue consumers, each actor — since an
 * isolate's module state is all a log call can see.
 */
export function applyLogLevel(value: string | undefined): void {
  threshold = value !== undefined && value in SEVERITY ? SEVERITY[value as LogLevel] : SEVERITY.info;
}

/**
 * One structured JSON line per event (Workers Logs indexes the fields). Callers pass ids
 * and counts, never user text or slot values. Each level goes to the console method of the
 * same name, so the platform records the level too (and `wrangler dev` hands info lines
 * straight to its logger instead of scanning `console.log` lines for stack traces).
 */
export function logEvent(level: LogLevel, message: string, fields: Record<string, unknown> = {}): void {
  if (SEVERITY[level] < threshold) return;
  console[level](JSON.stringify({ level, message, ...fields }));
}
