import { maskValue } from "../dialog/index.js";

export type Span = [start: number, end: number];

function escape(char: string): string {
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
    const pattern = new RegExp(chars.map(escape).join("[\\s-]*"), "iu");
    const match = pattern.exec(text);
    if (!match) return [[0, text.length]];
    spans.push([match.index, match.index + match[0].length]);
  }
  return mergeSpans(spans);
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
