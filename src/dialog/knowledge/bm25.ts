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
}

interface Posting {
  doc: number;
  tf: number;
}

/** @example buildBm25([{ id: "hours", terms: ["clos", "open"] }]).best(["clos"]) // → { id: "hours", score: 1 } */
export function buildBm25(docs: readonly Bm25Doc[]): Bm25Index {
  const postings = new Map<string, Posting[]>();
  const lengths = docs.map((doc) => doc.terms.length);
  const avgLength = lengths.reduce((sum, n) => sum + n, 0) / Math.max(1, docs.length) || 1;
  docs.forEach((doc, index) => {
    const counts = new Map<string, number>();
    for (const term of doc.terms) counts.set(term, (counts.get(term) ?? 0) + 1);
    for (const [term, tf] of counts) {
      const list = postings.get(term) ?? [];
      list.push({ doc: index, tf });
      postings.set(term, list);
    }
  });
  const n = docs.length;
  const idf = (df: number): number => Math.log(1 + (n - df + 0.5) / (df + 0.5));
  const unseenIdf = idf(0) * UNSEEN_SHARE;
  const norms = lengths.map((length) => K1 * (1 - B + (B * length) / avgLength));
  const docWeights = docs.map((doc) => [...new Set(doc.terms)].reduce((sum, term) => sum + idf(postings.get(term)?.length ?? 0), 0));
  return {
    best(terms) {
      const unique = [...new Set(terms)];
      if (unique.length === 0 || n === 0) return null;
      const raw = new Float64Array(n);
      const shared = new Float64Array(n);
      let total = 0;
      for (const term of unique) {
        const list = postings.get(term);
        const weight = list ? idf(list.length) : unseenIdf;
        total += weight;
        for (const { doc, tf } of list ?? []) {
          raw[doc] = (raw[doc] ?? 0) + (weight * tf * (K1 + 1)) / (tf + (norms[doc] ?? K1));
          shared[doc] = (shared[doc] ?? 0) + weight;
        }
      }
      let best: Bm25Hit | null = null;
      let bestRaw = 0;
      for (let doc = 0; doc < n; doc++) {
        const r = raw[doc] ?? 0;
        if (r === 0) continue;
        // r at tf = 1 for every query term would be total·(k1+1)/(1+norm): that is full coverage.
        const queryCoverage = Math.min(1, (r * (1 + (norms[doc] ?? K1))) / (total * (K1 + 1)));
        const docCoverage = (shared[doc] ?? 0) / (docWeights[doc] || 1);
        const score = queryCoverage * (QUERY_SHARE + (1 - QUERY_SHARE) * docCoverage);
        if (best === null || score > best.score || (score === best.score && r > bestRaw)) {
          best = { id: docs[doc]?.id ?? "", score };
          bestRaw = r;
        }
      }
      return best;
    },
  };
}
