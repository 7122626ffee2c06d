/**
 * The waiting line of one handoff queue, as pure rules: who is next, where a conversation
 * stands, and how long it will probably wait.
 */

/** What orders the line: the wait start (kept across a transfer), then arrival in this queue. */
export interface LinePlace {
  waitStart: number;
  /** arrival order in this queue: breaks ties between equal wait starts */
  arrival: number;
}

/**
 * First come, first served: the longest wait first, then whoever arrived here first. The queue
 * store's SQL (ORDER BY wait_start, arrival; its position count) follows the same rule.
 */
export function compareLinePlaces(a: LinePlace, b: LinePlace): number {
  return a.waitStart - b.waitStart || a.arrival - b.arrival;
}

/** How far back claims count for a guess, and how many at most. */
export const ETA_WINDOW_MS = 60 * 60 * 1000;
export const ETA_CLAIMS = 20;

/**
 * A guess of the wait at `position`, in seconds: the line moves as fast as the recent claims
 * came (their mean spacing, the spacing to `now` included, so a queue that stopped claiming
 * stops looking fast). Null when fewer than two claims fall in the last hour: nothing to guess from.
 *
 * @example
 * etaSeconds(3, [now - 120_000, now - 60_000], now); // claims every 60 s → 180
 */
export function etaSeconds(position: number, claimTimes: readonly number[], now: number): number | null {
  const recent = claimTimes
    .filter((at) => at <= now && now - at <= ETA_WINDOW_MS)
    .sort((a, b) => b - a)
    .slice(0, ETA_CLAIMS);
  const oldest = recent.at(-1);
  if (recent.length < 2 || oldest === undefined) return null;
  const spacingMs = (now - oldest) / recent.length;
  return Math.max(1, Math.round((position * spacingMs) / 1000));
}

/** Seconds between two epoch-ms instants, never negative. */
export function secondsBetween(from: number, to: number): number {
  return Math.max(0, Math.floor((to - from) / 1000));
}
