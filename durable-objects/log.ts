export type LogLevel = "debug" | "info" | "warn" | "error";

/**
 * One structured JSON line per event (Workers Logs indexes the fields). Callers pass ids
 * and counts, never user text or slot values.
 */
export function logEvent(level: LogLevel, message: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ level, message, ...fields });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}
