import type { EntityDef } from "../schema.js";
import type { SlotScalar } from "../types.js";
import { findAddresses } from "./address.js";
import { findChineseNumerals } from "./chinese-numerals.js";
import { compileHanTypos } from "./han-typos.js";
import { compileNumberSuffixes, findEnglishNumbers } from "./number-words.js";
import { findPhones } from "./phone.js";
import { findPhrase, normalizeText } from "./text.js";
import type { Correction } from "./typos.js";
import { toOriginal } from "./typos.js";

/** One entity found in an utterance: where (in the normalised text) and its canonical value. */
export interface EntitySpan {
  entity: string;
  value: SlotScalar;
  start: number;
  end: number;
  /** kind of entity: the classifier masks numbers and regex matches, which carry no intent */
  kind: EntityDef["type"];
}

export interface Candidate extends EntitySpan {
  /** higher wins an overlap */
  rank: number;
}

/** Every match of one entity in a message: `raw` is the NFKC-normalised text, `lower` the same lower-cased. */
export type Extractor = (raw: string, lower: string) => Candidate[];

export interface EntityExtractor {
  /**
   * Entities of `text`; with a typo `correction` of its normalised form, enums and numbers
   * are read from the corrected words ("runing" → running). Spans are in the original text.
   */
  extract(text: string, correction?: Correction): { entities: Record<string, SlotScalar>; spans: EntitySpan[] };
}

/**
 * Compiles every entity once: enum phrases sorted, regexes built. With `hanKnown` (typo
 * tolerance on), Chinese enum phrases also match with one wrong character ("蓝球鞋").
 */
export function compileEntities(defs: Record<string, EntityDef>, hanKnown?: (text: string) => boolean): EntityExtractor {
  const extractors = Object.entries(defs).map(([name, def]) => ({
    extract: compileEntity(name, def, hanKnown),
    words: def.type === "enum" || def.type === "number",
  }));
  return {
    extract(text, correction) {
      const raw = text.normalize("NFKC");
      const lower = normalizeText(text);
      const fixed = correction !== undefined && correction.edits.length > 0 ? correction : null;
      // Phones, addresses and regexes read what the user typed: a typo fix must never change their value.
      const candidates = extractors.flatMap(({ extract, words }) =>
        fixed && words ? extract(raw, fixed.text).map((c) => mapBack(c, fixed)) : extract(raw, lower),
      );
      return resolve(candidates);
    },
  };
}

function mapBack(candidate: Candidate, correction: Correction): Candidate {
  return { ...candidate, start: toOriginal(correction, candidate.start), end: toOriginal(correction, candidate.end) };
}

/** One entity's extractor: every match, overlaps not settled (the sealing of sensitive spans wants them all). */
export function compileEntity(name: string, def: EntityDef, hanKnown?: (text: string) => boolean): Extractor {
  switch (def.type) {
    case "enum":
      return enumExtractor(name, def, hanKnown);
    case "regex":
      return regexExtractor(name, def);
    case "number":
      return numberExtractor(name, def);
    case "phone":
      // Above regexes and addresses: "13987650123北京市…" gives the phone slot its number.
      return (raw) => findPhones(raw).map((m) => ({ entity: name, ...m, kind: "phone", rank: 3.5 }));
    case "address":
      return (raw) => findAddresses(raw).map((m) => ({ entity: name, ...m, kind: "address", rank: 3 }));
    default:
      return def satisfies never;
  }
}

function enumExtractor(name: string, def: Extract<EntityDef, { type: "enum" }>, hanKnown?: (text: string) => boolean): Extractor {
  const phrases: { phrase: string; value: string }[] = [];
  for (const item of def.values) {
    const labels = typeof item.label === "string" ? [item.label] : Object.values(item.label ?? {});
    for (const phrase of [item.value, ...item.synonyms, ...labels]) phrases.push({ phrase: normalizeText(phrase), value: item.value });
  }
  const typos = hanKnown ? compileHanTypos(phrases, hanKnown) : null;
  // A plain loop: this runs for every phrase of every enum on every message.
  return (_raw, lower) => {
    const found: Candidate[] = [];
    for (const { phrase, value } of phrases) {
      if (!lower.includes(phrase)) continue;
      for (const start of findPhrase(lower, phrase)) {
        found.push({ entity: name, value, start, end: start + phrase.length, kind: "enum", rank: 2 + phrase.length / 100 });
      }
    }
    // Below every exact phrase, above numbers: an exact match anywhere near wins the overlap.
    for (const m of typos?.(lower) ?? []) found.push({ entity: name, value: m.value, start: m.start, end: m.end, kind: "enum", rank: 1.9 });
    return found;
  };
}

function regexExtractor(name: string, def: Extract<EntityDef, { type: "regex" }>): Extractor {
  const pattern = new RegExp(def.pattern, `${def.flags.replace("g", "")}g`);
  const transform = (s: string): string => (def.transform === "upper" ? s.toUpperCase() : def.transform === "lower" ? s.toLowerCase() : s);
  return (raw) =>
    Array.from(raw.matchAll(pattern), (m) => ({
      entity: name,
      value: transform(m[0]),
      start: m.index,
      end: m.index + m[0].length,
      kind: "regex" as const,
      rank: 3,
    })).filter((c) => c.end > c.start);
}

/** The lazy branch leaves "1⁄2" (NFKC of "½") to the half suffix: "42½" is 42 and a half, not 421. */
const ARABIC = /\d+?(?=1⁄2)|\d+(?:\.\d+)?/g;

function numberExtractor(name: string, def: Extract<EntityDef, { type: "number" }>): Extractor {
  const units = def.units.map(normalizeText);
  const suffixes = compileNumberSuffixes(units);
  const step = def.step ?? 1;
  // A tolerance, not equality: 42.5 / 0.5 is exact, 0.3 / 0.1 is not.
  const onStep = (n: number): boolean => Math.abs(n / step - Math.round(n / step)) < 1e-9;
  const inRange = (n: number): boolean => (def.min === undefined || n >= def.min) && (def.max === undefined || n <= def.max) && onStep(n);
  const hasUnit = (lower: string, start: number, end: number): boolean =>
    units.some((unit) => {
      const after = lower.slice(end).trimStart();
      const before = lower.slice(0, start).trimEnd();
      return after.startsWith(unit) || before.endsWith(unit);
    });
  return (_raw, lower) => {
    const spans = [
      ...Array.from(lower.matchAll(ARABIC), (m) => ({ start: m.index, end: m.index + m[0].length, value: Number(m[0]) })),
      ...findChineseNumerals(lower),
      ...findEnglishNumbers(lower),
    ];
    const found: Candidate[] = [];
    for (const base of spans) {
      const s = suffixes.extend(lower, base);
      if (!inRange(s.value)) continue;
      const rank = hasUnit(lower, s.start, base.end) || hasUnit(lower, s.start, s.end) ? 1.5 : 1;
      found.push({ entity: name, value: s.value, start: s.start, end: s.end, kind: "number", rank });
    }
    return found;
  };
}

/**
 * Overlaps are settled by rank (phone > regex and address > enum > number, longer enum
 * phrases first), so the digits of "AB123456" or of "建国路42号" never become a size and
 * "running shoes" beats "running". Each entity keeps its best-ranked, then first, span.
 */
function resolve(candidates: Candidate[]): { entities: Record<string, SlotScalar>; spans: EntitySpan[] } {
  const sorted = candidates.sort((a, b) => b.rank - a.rank || a.start - b.start);
  const taken: Candidate[] = [];
  const entities: Record<string, SlotScalar> = {};
  for (const c of sorted) {
    if (taken.some((t) => c.start < t.end && t.start < c.end)) continue;
    taken.push(c);
    if (!(c.entity in entities)) entities[c.entity] = c.value;
  }
  const spans = taken.map(({ rank: _rank, ...span }) => span).sort((a, b) => a.start - b.start);
  return { entities, spans };
}
