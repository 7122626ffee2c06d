import type { BotDefinition } from "../schema.js";
import type { SlotScalar } from "../types.js";
import { compileEntity } from "./entities.js";

/** A sensitive value in a message, where the user wrote it: `[start, end)` in the original text. */
export interface SensitiveMatch {
  entity: string;
  value: SlotScalar;
  start: number;
  end: number;
}

/** Finds what must never be stored in clear, in any message, whatever the dialog is doing. */
export interface SensitiveFinder {
  /** the bot's sensitive entities: their values are redacted wherever a parse is recorded */
  readonly entities: ReadonlySet<string>;
  /** every match of every sensitive entity, in order; overlapping matches are all kept */
  find(text: string): SensitiveMatch[];
}

/**
 * The sensitive entities of a definition: every `phone` and `address` entity, and any entity
 * that fills a `sensitive` slot (a bot's own regex for an id card number, say).
 */
export function sensitiveEntities(def: BotDefinition): Set<string> {
  const names = new Set<string>();
  for (const [name, entity] of Object.entries(def.entities)) if (entity.type === "phone" || entity.type === "address") names.add(name);
  for (const slot of Object.values(def.slots)) if (slot.sensitive && slot.entity !== undefined && slot.entity in def.entities) names.add(slot.entity);
  return names;
}

/**
 * Compiles the sensitive entities' recognizers once per bot version.
 *
 * @example
 * compileSensitiveFinder(shop).find("call 139 8765 0123") // → [{ entity: "phone", value: "13987650123", start: 5, end: 18 }]
 */
export function compileSensitiveFinder(def: BotDefinition): SensitiveFinder {
  const entities = sensitiveEntities(def);
  const extractors = [...entities].flatMap((name) => {
    const entity = def.entities[name];
    return entity ? [compileEntity(name, entity)] : [];
  });
  return {
    entities,
    find(text) {
      if (extractors.length === 0 || text.length === 0) return [];
      const folded = foldText(text);
      return extractors
        .flatMap((extract) => extract(folded.raw, folded.lower))
        .filter((match) => match.end > match.start)
        .map(({ entity, value, start, end }) => ({ entity, value, start: folded.origin[start] ?? 0, end: folded.originEnd[end - 1] ?? text.length }))
        .sort((a, b) => a.start - b.start || a.end - b.end);
    },
  };
}

interface FoldedText {
  raw: string;
  lower: string;
  /** for each UTF-16 unit of `raw`: where its character starts in the original text */
  origin: number[];
  /** for each UTF-16 unit of `raw`: where its character ends in the original text */
  originEnd: number[];
}

/**
 * NFKC (full-width `１３９`, circled `⑬`) one character at a time, so that every position of
 * the folded text leads back to the original: a span found there masks exactly what the
 * user typed, however NFKC changed its length.
 */
function foldText(text: string): FoldedText {
  const folded: FoldedText = { raw: "", lower: "", origin: [], originEnd: [] };
  let at = 0;
  for (const char of text) {
    const raw = char.normalize("NFKC");
    const lower = raw.toLowerCase();
    folded.raw += raw;
    folded.lower += lower.length === raw.length ? lower : raw;
    for (let i = 0; i < raw.length; i++) {
      folded.origin.push(at);
      folded.originEnd.push(at + char.length);
    }
    at += char.length;
  }
  return folded;
}
