// @ts-check
// Numbers and time for the charts: axis ticks and labels. No DOM, so Node tests import it.

/**
 * Round tick values from 0 to at least `max`: steps of 1, 2 or 5 × 10ⁿ, about `count` of them.
 * @param {number} max
 * @param {number} [count]
 * @returns {number[]}
 * @example niceTicks(87) // [0, 20, 40, 60, 80, 100]
 */
export function niceTicks(max, count = 4) {
  if (!(max > 0)) return [0, 1];
  const rough = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  // The finest round step that needs at most count + 1 intervals.
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((candidate) => max / candidate <= count + 1) ?? 10 * magnitude;
  const ticks = [];
  for (let value = 0; value < max + step / 2; value += step) ticks.push(Number(value.toPrecision(12)));
  if ((ticks.at(-1) ?? 0) < max) ticks.push(Number((ticks.length * step).toPrecision(12)));
  return ticks;
}

/**
 * 1234 → "1.2k", 12 → "12", 0.5 → "0.5".
 * @param {number} value
 * @returns {string}
 */
export function formatCount(value) {
  if (Math.abs(value) >= 1e6) return `${trim(value / 1e6)}M`;
  if (Math.abs(value) >= 1e3) return `${trim(value / 1e3)}k`;
  return trim(value);
}

/**
 * A ratio as a percentage: 0.125 → "12.5%"; null → "–".
 * @param {number | null | undefined} ratio
 * @returns {string}
 */
export function formatPercent(ratio) {
  if (ratio === null || ratio === undefined || Number.isNaN(ratio)) return "–";
  return `${trim(ratio * 100)}%`;
}

/**
 * Milliseconds for people: 8.25 → "8.3 ms", 1500 → "1.5 s"; null → "–".
 * @param {number | null | undefined} ms
 * @returns {string}
 */
export function formatMs(ms) {
  if (ms === null || ms === undefined) return "–";
  return ms >= 1000 ? `${trim(ms / 1000)} s` : `${trim(ms)} ms`;
}

/**
 * Seconds for people: 42 → "42 s", 125 → "2 min 5 s", 7300 → "2 h 1 min".
 * @param {number} seconds
 * @returns {string}
 */
export function formatAge(seconds) {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ""}`;
  return `${Math.floor(s / 3600)} h${Math.floor((s % 3600) / 60) ? ` ${Math.floor((s % 3600) / 60)} min` : ""}`;
}

/**
 * A bucket's start as the clock shows it, in the viewer's time zone: "14:05".
 * @param {number} epochMs
 * @returns {string}
 */
export function clockTime(epochMs) {
  const date = new Date(epochMs);
  return `${String(date.getHours()).padStart(2, "0")}:${String(date.getMinutes()).padStart(2, "0")}`;
}

/**
 * Which of `n` buckets get an x-axis label: about `wanted` of them, evenly spaced, the last one always.
 * @param {number} n
 * @param {number} wanted
 * @returns {number[]}
 */
export function labelIndexes(n, wanted) {
  if (n <= 0) return [];
  const every = Math.max(1, Math.ceil(n / Math.max(1, wanted)));
  const indexes = [];
  for (let i = (n - 1) % every; i < n; i += every) indexes.push(i);
  return indexes;
}

/** @param {number} value */
function trim(value) {
  const rounded = Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 10) / 10;
  return String(rounded);
}
