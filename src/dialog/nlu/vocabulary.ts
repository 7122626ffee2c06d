import type { BotDefinition } from "../schema.js";
import { NUMBER_WORDS } from "./number-words.js";
import { normalizeText } from "./text.js";

/** Strings that are not words a user would type: regex sources and flags, webhook addresses. */
const NOT_WORDS: ReadonlySet<string> = new Set(["pattern", "flags", "url", "actions"]);
const WORD = /[a-z]+/g;

/**
 * Every English word of the definition: intent examples, enum values and synonyms, slot
 * references, units, replies, knowledge entries, small talk — and the number words. The
 * speller corrects towards these words, and never corrects one of them: the more of the
 * bot's own words it knows, the fewer real words it mistakes for typos ("socks" in a
 * knowledge entry keeps "sock" from becoming "stock").
 */
export function vocabularyOf(def: BotDefinition): Set<string> {
  const words = new Set<string>(NUMBER_WORDS);
  collect(def, words);
  return words;
}

/**
 * Whether the definition itself uses a Chinese text anywhere (an example, a synonym, a
 * knowledge keyword such as "足球鞋"): such a text is a word of its own, never a typo.
 */
export function hanTextOf(def: BotDefinition): (text: string) => boolean {
  const texts: string[] = [];
  collectStrings(def, (text) => {
    if (HAN.test(text)) texts.push(normalizeText(text));
  });
  const joined = texts.join("\n");
  return (text) => joined.includes(text);
}

const HAN = /\p{Script=Han}/u;

function collect(value: unknown, words: Set<string>): void {
  collectStrings(value, (text) => {
    for (const match of normalizeText(text).matchAll(WORD)) words.add(match[0]);
  });
}

function collectStrings(value: unknown, visit: (text: string) => void): void {
  if (typeof value === "string") {
    visit(value);
  } else if (Array.isArray(value)) {
    for (const item of value) collectStrings(item, visit);
  } else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) if (!NOT_WORDS.has(key)) collectStrings(item, visit);
  }
}
