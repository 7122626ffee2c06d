import type { CompiledBot } from "../compile.js";
import { findAddresses } from "../nlu/address.js";
import type { Understanding } from "../nlu/nlu.js";
import { findPhrase, normalizeText } from "../nlu/text.js";

/** How far after a cue ("电话", "phone is") the value it introduces may begin. */
const CUE_REACH = 12;
/** What sits between a cue and its value ("address is", "地址改成"), or after a value before the next slot ("and my"). */
const LEADING = /^(?:[\s,，.。:：;；、=-]|is\b|to\b|now\b|should be\b|will be\b|是|为|改成|改为|换成|改到|到)+/iu;
const TRAILING = /(?:[\s,，.。:：;；、!！?？-]|\b(?:and|my|the|new|is|please|also|with)|和|以及|还有|我的|新的|新|并且|另外)+$/iu;

interface Region {
  start: number;
  end: number;
}

/**
 * The part of `text` that is `slot`'s value when other slots of `flow` are given in the same
 * message ("新地址是…，电话 139…"): their values and the cues that introduce them are cut out,
 * and so is the slot's own cue ("新地址是"). A message holding nothing else comes back trimmed.
 */
export function freeTextValue(bot: CompiledBot, flow: string, slot: string, text: string, nlu: Understanding): string {
  const raw = text.normalize("NFKC");
  const lower = normalizeText(text);
  if (raw.length !== lower.length) return text.trim();
  const regions = otherSlotRegions(bot, flow, slot, lower, nlu);
  const pieces = complement(regions, raw.length);
  const own = lastCue(lower, bot.definition.slots[slot]?.cues ?? [], regions);
  if (own) {
    const piece = pieces.find((p) => p.start <= own.start && own.end <= p.end);
    if (piece) {
      const after = tidy(raw.slice(own.end, piece.end));
      return after.length > 0 ? after : tidy(raw.slice(piece.start, own.start));
    }
  }
  if (regions.length === 0) return text.trim();
  return pieces.map((p) => tidy(raw.slice(p.start, p.end))).reduce((best, piece) => (piece.length > best.length ? piece : best), "");
}

/**
 * An address recognised anywhere in the message, as long as the recognizers allow (the
 * sentence after "address is" included) but never past the next slot's value or its cue.
 */
export function addressValue(bot: CompiledBot, flow: string, slot: string, text: string, nlu: Understanding, at: number): string | undefined {
  const raw = text.normalize("NFKC");
  const lower = normalizeText(text);
  if (raw.length !== lower.length) return undefined;
  const regions = otherSlotRegions(bot, flow, slot, lower, nlu);
  let best: string | undefined;
  for (const match of findAddresses(raw)) {
    if (match.start > at || match.end <= at) continue;
    const stop = regions.find((r) => r.end > match.start && r.start < match.end)?.start ?? match.end;
    const value = tidy(raw.slice(match.start, Math.min(match.end, Math.max(stop, match.start))));
    if (value.length > (best?.length ?? 0)) best = value;
  }
  return best;
}

/** Where the other slots of the flow are in the message: their entities' spans, each with the cue before it. */
function otherSlotRegions(bot: CompiledBot, flow: string, slot: string, lower: string, nlu: Understanding): Region[] {
  const regions: Region[] = [];
  for (const other of bot.flowSlots[flow] ?? []) {
    if (other.slot === slot || other.entity === undefined) continue;
    const spans = nlu.spans.filter((s) => s.entity === other.entity && s.kind !== "enum");
    for (const span of spans) regions.push({ start: span.start, end: span.end });
    for (const cue of bot.definition.slots[other.slot]?.cues ?? []) {
      const phrase = normalizeText(cue);
      for (const start of findPhrase(lower, phrase)) {
        const end = start + phrase.length;
        const value = spans.find((s) => s.start >= end && s.start - end <= CUE_REACH);
        if (value) regions.push({ start, end: value.end });
      }
    }
  }
  return regions.sort((a, b) => a.start - b.start);
}

function complement(regions: readonly Region[], length: number): Region[] {
  const pieces: Region[] = [];
  let from = 0;
  for (const r of regions) {
    if (r.start > from) pieces.push({ start: from, end: r.start });
    from = Math.max(from, r.end);
  }
  if (from < length) pieces.push({ start: from, end: length });
  return pieces;
}

function lastCue(lower: string, cues: readonly string[], regions: readonly Region[]): Region | undefined {
  let last: Region | undefined;
  for (const cue of cues) {
    const phrase = normalizeText(cue);
    for (const start of findPhrase(lower, phrase)) {
      const inOther = regions.some((r) => start < r.end && r.start < start + phrase.length);
      if (!inOther && (last === undefined || start > last.start)) last = { start, end: start + phrase.length };
    }
  }
  return last;
}

function tidy(piece: string): string {
  return piece.trim().replace(LEADING, "").replace(TRAILING, "").trim();
}
