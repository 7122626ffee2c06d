import { maskValue } from "../dialog/index.js";

export type Span = [start: number, end: number];

function escapeRegExp(char: string): string {
  return char.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Where the sensitive values a user just gave appear in their message. Spaces and dashes
 * may sit between the characters ("138 0013 8000" holds 13800138000). A value that cannot
 * be found makes the whole message sensitive: it is better to hide too much.
 */
export function findSensitiveSpans(text: string, values: readonly string[]): Span[] {
  const spans: Span[] = [];
  for (const value of values) {
    const chars = [...value.trim()];
    if (chars.length === 0) continue;
    const pattern = new RegExp(chars.map(escapeRegExp).join("[\\s-]*"), "iu");
    const match = pattern.exec(text);
    if (!match) return [[0, text.length]];
    spans.push([match.index, match.index + match[0].length]);
  }
  return mergeSpans(spans);
}

/**
 * Where a message holds sensitive values: every span the bot's recognizers matched (a phone
 * number in any message, flow or no flow), and the values this turn gave to sensitive slots
 * that no recognizer saw (a free-text address typed at its prompt).
 *
 * @example
 * sensitiveSpans("call 139 8765 0123", [{ start: 5, end: 18, value: "13987650123" }], ["13987650123"]) // → [[5, 18]]
 */
export function sensitiveSpans(text: string, matches: readonly { start: number; end: number; value: string | number }[], given: readonly string[]): Span[] {
  const recognized = new Set(matches.map((match) => String(match.value)));
  const unseen = given.filter((value) => !recognized.has(value));
  const found: Span[] = matches.map((match) => [match.start, match.end]);
  return mergeSpans(unseen.length > 0 ? [...found, ...findSensitiveSpans(text, unseen)] : found);
}

function mergeSpans(spans: Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a[0] - b[0]);
  const merged: Span[] = [];
  for (const span of sorted) {
    const last = merged.at(-1);
    if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
    else merged.push([span[0], span[1]]);
  }
  return merged;
}

/** The text with each span masked like an API answer shows a sensitive slot (`***8000`). */
export function maskSpans(text: string, spans: readonly Span[]): string {
  let out = "";
  let at = 0;
  for (const [start, end] of spans) {
    out += text.slice(at, start) + maskValue(text.slice(start, end));
    at = end;
  }
  return out + text.slice(at);
}
