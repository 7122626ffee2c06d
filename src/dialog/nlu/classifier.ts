import type { FeatureBag } from "./features.js";

/**
 * Intent classifier: TF-IDF vectors, scored per intent by a blend of the nearest example
 * (good with few, varied examples) and the intent's centroid (robust to one odd example).
 * Built once per definition; a query costs one pass over the postings of its features.
 */

export interface IntentScore {
  intent: string;
  confidence: number;
}

export interface IntentClassifier {
  classify(features: FeatureBag): IntentScore[];
}

interface Posting {
  /** example index, or -1 - intent index for a centroid */
  target: number;
  weight: number;
}

/** Weight of nearest-example similarity against centroid similarity. */
const NEAREST_WEIGHT = 0.6;
/** Softmax sharpness over intent scores. */
const SHARPNESS = 12;
/**
 * How similar an utterance must be to anything we know before we trust the softmax:
 * a sigmoid centred at MIN_SIMILARITY. Without it, gibberish still gets a confident
 * winner because the softmax only sees relative scores.
 */
const MIN_SIMILARITY = 0.18;
const SIMILARITY_SLOPE = 18;

export function trainClassifier(examples: readonly { intent: string; features: FeatureBag }[]): IntentClassifier {
  const intents = [...new Set(examples.map((e) => e.intent))];
  const intentIndex = new Map(intents.map((name, i) => [name, i]));
  const idf = inverseDocumentFrequency(examples.map((e) => e.features));
  const unseenIdf = Math.log(examples.length + 1) + 1;
  const postings = new Map<string, Posting[]>();
  const centroids = intents.map(() => new Map<string, number>());
  examples.forEach((example, index) => {
    const vector = weigh(example.features, idf, unseenIdf);
    const centroid = centroids[intentIndex.get(example.intent) ?? 0];
    for (const [feature, weight] of vector) {
      push(postings, feature, { target: index, weight });
      centroid?.set(feature, (centroid.get(feature) ?? 0) + weight);
    }
  });
  centroids.forEach((centroid, i) => {
    for (const [feature, weight] of normalize(centroid)) push(postings, feature, { target: -1 - i, weight });
  });
  const exampleIntent = examples.map((e) => intentIndex.get(e.intent) ?? 0);
  return { classify: (features) => score(weigh(features, idf, unseenIdf), postings, exampleIntent, intents) };
}

function score(query: Map<string, number>, postings: Map<string, Posting[]>, exampleIntent: number[], intents: string[]): IntentScore[] {
  const exampleSims = new Float64Array(exampleIntent.length);
  const centroidSims = new Float64Array(intents.length);
  for (const [feature, weight] of query) {
    for (const posting of postings.get(feature) ?? []) {
      if (posting.target >= 0) exampleSims[posting.target] = (exampleSims[posting.target] ?? 0) + weight * posting.weight;
      else centroidSims[-1 - posting.target] = (centroidSims[-1 - posting.target] ?? 0) + weight * posting.weight;
    }
  }
  const nearest = new Float64Array(intents.length);
  exampleSims.forEach((sim, i) => {
    const intent = exampleIntent[i] ?? 0;
    if (sim > (nearest[intent] ?? 0)) nearest[intent] = sim;
  });
  const raw = intents.map((_, i) => NEAREST_WEIGHT * (nearest[i] ?? 0) + (1 - NEAREST_WEIGHT) * (centroidSims[i] ?? 0));
  return calibrate(raw, intents);
}

/** Softmax over intents, scaled by how much the best intent resembles anything at all. */
function calibrate(raw: number[], intents: string[]): IntentScore[] {
  const best = Math.max(0, ...raw);
  const exps = raw.map((s) => Math.exp(SHARPNESS * (s - best)));
  const sum = exps.reduce((a, b) => a + b, 0);
  const known = 1 / (1 + Math.exp(-SIMILARITY_SLOPE * (best - MIN_SIMILARITY)));
  return intents.map((intent, i) => ({ intent, confidence: round(((exps[i] ?? 0) / sum) * known) })).sort((a, b) => b.confidence - a.confidence);
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

function inverseDocumentFrequency(bags: readonly FeatureBag[]): Map<string, number> {
  const df = new Map<string, number>();
  for (const bag of bags) for (const feature of bag.keys()) df.set(feature, (df.get(feature) ?? 0) + 1);
  const idf = new Map<string, number>();
  for (const [feature, count] of df) idf.set(feature, Math.log((bags.length + 1) / (count + 1)) + 1);
  return idf;
}

/**
 * Sublinear TF × IDF, L2-normalised. Features never seen in training count in the norm
 * (at the highest IDF) though they match nothing: "hello asdf qwerty" must not look like
 * a clean "hello".
 */
function weigh(bag: FeatureBag, idf: Map<string, number>, unseenIdf: number): Map<string, number> {
  const vector = new Map<string, number>();
  for (const [feature, tf] of bag) vector.set(feature, (tf <= 1 ? tf : 1 + Math.log(tf)) * (idf.get(feature) ?? unseenIdf));
  return normalize(vector);
}

function normalize(vector: Map<string, number>): Map<string, number> {
  let norm = 0;
  for (const w of vector.values()) norm += w * w;
  norm = Math.sqrt(norm);
  if (norm === 0) return vector;
  const out = new Map<string, number>();
  for (const [feature, w] of vector) out.set(feature, w / norm);
  return out;
}

function push(postings: Map<string, Posting[]>, feature: string, posting: Posting): void {
  const list = postings.get(feature);
  if (list) list.push(posting);
  else postings.set(feature, [posting]);
}
