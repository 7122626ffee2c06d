import type { BotDefinition, KnowledgeEntry, LocalizedText, SmallTalkEntry } from "../schema.js";
import type { Bm25Doc, Bm25Index } from "./bm25.js";
import { buildBm25 } from "./bm25.js";
import type { Terms } from "./terms.js";
import { isHanBigram, termsOf } from "./terms.js";

/** The best entry for a message, with its 0–1 score and whether it clears the bot's threshold. */
export interface AsideMatch {
  entry: string;
  score: number;
  accepted: boolean;
}

/** The nearest knowledge and small-talk entries of one message (null: no shared word at all). */
export interface AsideMatches {
  knowledge: AsideMatch | null;
  smallTalk: AsideMatch | null;
}

/** What one bot version knows besides its flows: its knowledge base and its small talk. */
export interface CompiledKnowledge {
  /** whether there is anything to match: a bot without entries skips the work */
  readonly empty: boolean;
  /** both matches from one pass over the text */
  match(text: string): AsideMatches;
  /** the `k` nearest knowledge entries, best first, whatever the threshold (grounding for a generated answer) */
  topKnowledge(text: string, k: number): AsideMatch[];
  /** answer (and quick replies) of an entry by id */
  knowledgeEntry(id: string): KnowledgeEntry | undefined;
  smallTalkAnswer(id: string): LocalizedText | undefined;
}

/**
 * Indexes the knowledge base and the small talk: once per definition version.
 * Knowledge ignores filler words ("do you …"); small talk is made of them, so it keeps them.
 *
 * @example compileKnowledge(shop).match("when do you close?").knowledge // → { entry: "opening_hours", score: 1, accepted: true }
 */
export function compileKnowledge(def: BotDefinition): CompiledKnowledge {
  const knowledge = indexOf(
    def.knowledge.entries,
    (entry) => entry.questions,
    (entry) => entry.keywords,
    "content",
  );
  const smallTalk = indexOf(
    def.smallTalk.entries,
    (entry: SmallTalkEntry) => entry.examples,
    () => [],
    "all",
  );
  const knowledgeById = new Map(def.knowledge.entries.map((entry) => [entry.id, entry]));
  const smallTalkById = new Map(def.smallTalk.entries.map((entry) => [entry.id, entry.answer]));
  return {
    empty: knowledge === null && smallTalk === null,
    match(text) {
      if (knowledge === null && smallTalk === null) return { knowledge: null, smallTalk: null };
      const terms = termsOf(text);
      return { knowledge: matchOf(knowledge, terms.content, def.knowledge.threshold), smallTalk: matchOf(smallTalk, terms.all, def.smallTalk.threshold) };
    },
    topKnowledge(text, k) {
      if (knowledge === null) return [];
      const threshold = def.knowledge.threshold;
      return knowledge.top(usefulTerms(knowledge, termsOf(text).content), k).map((hit) => {
        const score = Math.round(hit.score * 1000) / 1000;
        return { entry: hit.id, score, accepted: score >= threshold };
      });
    },
    knowledgeEntry: (id) => knowledgeById.get(id),
    smallTalkAnswer: (id) => smallTalkById.get(id),
  };
}

/** One document per phrasing (the nearest phrasing decides) and one for an entry's keywords. */
function indexOf<E extends { id: string }>(
  entries: readonly E[],
  phrasings: (entry: E) => readonly string[],
  keywords: (entry: E) => readonly string[],
  list: keyof Terms,
): Bm25Index | null {
  if (entries.length === 0) return null;
  const docs: Bm25Doc[] = [];
  for (const entry of entries) {
    for (const phrasing of phrasings(entry)) docs.push({ id: entry.id, terms: termsOf(phrasing)[list] });
    const words = keywords(entry).flatMap((keyword) => termsOf(keyword).all);
    if (words.length > 0) docs.push({ id: entry.id, terms: words });
  }
  return buildBm25(docs);
}

function matchOf(index: Bm25Index | null, terms: readonly string[], threshold: number): AsideMatch | null {
  if (index === null) return null;
  const hit = index.best(usefulTerms(index, terms));
  if (hit === null) return null;
  const score = Math.round(hit.score * 1000) / 1000;
  return { entry: hit.id, score, accepted: score >= threshold };
}

/** A Chinese bigram no entry holds is mostly a seam between two words (今天|营业 → 天营): its characters already count. */
function usefulTerms(index: Bm25Index, terms: readonly string[]): string[] {
  return terms.filter((term) => !(term.length === 2 && isHanBigram(term) && !index.has(term)));
}
