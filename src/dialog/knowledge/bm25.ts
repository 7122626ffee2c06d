/**
 * A small BM25 index (Okapi BM25, k1 = 1.2, b = 0.75), built once per bot version and only
 * read afterwards. BM25 ranks; the reported score is 0–1 so a bot can state one threshold
 * whatever its size. It is mostly how much of the query's weight the document covers (a
 * term no document holds counts at half the highest weight, so "do you sell socks and umbrellas"
 * scores lower than "do you sell socks"), and partly how much of the document the query
 * covers, so the single word "bot" does not fully match "stupid bot".
 */

const K1 = 1.2;
const B = 0.75;
/** how much of the score is the query's coverage; the rest is the document's */
const QUERY_SHARE = 0.7;
/** a word no document holds counts at this share of the highest weight: unexplained, but maybe only filler ("啊", "晚上") */
const UNSEEN_SHARE = 0.5;

export interface Bm25Doc {
  id: string;
  terms: readonly string[];
}

export interface Bm25Hit {
  id: string;
  /** 0–1: the share of the query's weight the document covers */
  score: number;
}

export interface Bm25Index {
  /** The best document for the query terms, or null when no term is shared. */
  best(terms: readonly string[]): Bm25Hit | null;
  /** whether any document holds the term */
  has(term: string): boolean;
  /** The best `k` distinct ids for the query terms, best first (the best document of each id decides its score). */
  top(terms: readonly string[], k: number): Bm25Hit[];
}

/** A term's documents, with its BM25 weight (idf) worked out once. */
interface TermEntry {
  idf: number;
  docs: number[];
  /** the term's count in each of `docs` */
  tfs: number[];
}

/** @example buildBm25([{ id: "hours", terms: ["clos", "open"] }]).best(["clos"]) // → { id: "hours", score: 1 } */
export function buildBm25(docs: readonly Bm25Doc[]): Bm25Index {
  const n = docs.length;
  const table = termTable(docs);
  const lengths = docs.map((doc) => doc.terms.length);
  const avgLength = lengths.reduce((sum, length) => sum + length, 0) / Math.max(1, n) || 1;
  const index: Index = {
    ids: docs.map((doc) => doc.id),
    table,
    norms: lengths.map((length) => K1 * (1 - B + (B * length) / avgLength)),
    docWeights: docs.map((doc) => [...new Set(doc.terms)].reduce((sum, term) => sum + (table.get(term)?.idf ?? 0), 0)),
    unseenIdf: idfOf(n, 0) * UNSEEN_SHARE,
    // Scratch space reused by every query (the index is only read, one query at a time): no allocation per message.
    raw: new Float64Array(n),
    shared: new Float64Array(n),
    touched: [],
  };
  return {
    best: (terms) => (terms.length === 0 || n === 0 ? null : bestOf(index, terms)),
    has: (term) => table.has(term),
    top: (terms, k) => (terms.length === 0 || n === 0 || k <= 0 ? [] : topOf(index, terms, k)),
  };
}

interface Index {
  ids: readonly string[];
  table: ReadonlyMap<string, TermEntry>;
  norms: readonly number[];
  /** the summed weight of each document's distinct terms */
  docWeights: readonly number[];
  unseenIdf: number;
  raw: Float64Array;
  shared: Float64Array;
  touched: number[];
}

function bestOf(index: Index, terms: readonly string[]): Bm25Hit | null {
  const { raw, shared, norms, touched } = index;
  const total = gather(index, terms);
  let best: Bm25Hit | null = null;
  let bestRaw = 0;
  let bestDoc = index.ids.length;
  for (const doc of touched) {
    const r = raw[doc] ?? 0;
    // r at tf = 1 for every query term would be total·(k1+1)/(1+norm): that is full coverage.
    const queryCoverage = Math.min(1, (r * (1 + (norms[doc] ?? K1))) / (total * (K1 + 1)));
    const docCoverage = (shared[doc] ?? 0) / (index.docWeights[doc] || 1);
    const score = queryCoverage * (QUERY_SHARE + (1 - QUERY_SHARE) * docCoverage);
    // Ties go to the higher raw BM25, then to the earlier document: the same answer whatever the order of the words.
    if (best === null || score > best.score || (score === best.score && (r > bestRaw || (r === bestRaw && doc < bestDoc)))) {
      best = { id: index.ids[doc] ?? "", score };
      bestRaw = r;
      bestDoc = doc;
    }
    raw[doc] = 0;
    shared[doc] = 0;
  }
  touched.length = 0;
  return best;
}

/** Accumulates every query term's contribution; returns the query's total weight. */
function gather(index: Index, terms: readonly string[]): number {
  let total = 0;
  const seen = new Set<string>();
  for (const term of terms) {
    if (seen.has(term)) continue;
    seen.add(term);
    const entry = index.table.get(term);
    total += entry?.idf ?? index.unseenIdf;
    if (entry) accumulate(entry, index);
  }
  return total;
}

/** Like {@link bestOf}, for the runners-up too: scores every touched document, keeps each id's best. */
function topOf(index: Index, terms: readonly string[], k: number): Bm25Hit[] {
  const { raw, shared, norms, touched } = index;
  const total = gather(index, terms);
  const byId = new Map<string, number>();
  for (const doc of touched.sort((a, b) => a - b)) {
    const r = raw[doc] ?? 0;
    const queryCoverage = Math.min(1, (r * (1 + (norms[doc] ?? K1))) / (total * (K1 + 1)));
    const docCoverage = (shared[doc] ?? 0) / (index.docWeights[doc] || 1);
    const score = queryCoverage * (QUERY_SHARE + (1 - QUERY_SHARE) * docCoverage);
    const id = index.ids[doc] ?? "";
    if (score > (byId.get(id) ?? -1)) byId.set(id, score);
    raw[doc] = 0;
    shared[doc] = 0;
  }
  touched.length = 0;
  return [...byId]
    .map(([id, score]) => ({ id, score }))
    .sort((a, b) => b.score - a.score)
    .slice(0, k);
}

function idfOf(n: number, df: number): number {
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

function termTable(docs: readonly Bm25Doc[]): Map<string, TermEntry> {
  const table = new Map<string, TermEntry>();
  docs.forEach((doc, index) => {
    const counts = new Map<string, number>();
    for (const term of doc.terms) counts.set(term, (counts.get(term) ?? 0) + 1);
    for (const [term, tf] of counts) {
      const entry = table.get(term) ?? { idf: 0, docs: [], tfs: [] };
      entry.docs.push(index);
      entry.tfs.push(tf);
      table.set(term, entry);
    }
  });
  for (const entry of table.values()) entry.idf = idfOf(docs.length, entry.docs.length);
  return table;
}

function accumulate(entry: TermEntry, index: Index): void {
  const { raw, shared, norms, touched } = index;
  for (let i = 0; i < entry.docs.length; i++) {
    const doc = entry.docs[i] ?? 0;
    const tf = entry.tfs[i] ?? 1;
    if (shared[doc] === 0) touched.push(doc);
    raw[doc] = (raw[doc] ?? 0) + (entry.idf * tf * (K1 + 1)) / (tf + (norms[doc] ?? K1));
    shared[doc] = (shared[doc] ?? 0) + entry.idf;
  }
}
