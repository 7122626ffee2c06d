/**
 * Terms for retrieval: English words (lower-cased, lightly stemmed) and Chinese characters
 * with their bigrams. Chinese has no spaces, so "你们几点关门" becomes 你 们 几 点 关 门 and
 * 你们 们几 几点 点关 关门: a paraphrase sharing 几点 and 关门 scores high, one that shares
 * only characters ("袜" and "卖" in "有没有袜子卖") still scores some.
 */
import { normalizeText } from "../nlu/text.js";

/**
 * Words that say nothing about which answer is wanted ("do you …", "what is the …").
 * Knowledge drops them; small talk is made of exactly these words, so it keeps them.
 */
const STOPWORDS: ReadonlySet<string> = new Set(
  "a an the i me my we our you your it its is are was be been am do does did can could would will should shall to of in on at for with and or but so if what which who whom how when where why this that these those there here any some have has had please hi hey just about tell know want like get whats hows im youre dont doesnt its thats theres".split(
    " ",
  ),
);

/** The Chinese counterpart: pronouns, particles and question words ("你们…吗", "请问…是什么"). */
const HAN_FILLER: ReadonlySet<string> = new Set(
  "你 们 您 我 的 了 吗 呢 吧 啊 呀 么 是 请 问 这 那 个 你们 我们 请问 什么 是什 一下 这个 那个 是不 不是".split(" "),
);

/** A message's terms, in order with duplicates (BM25 counts them): all of them, and without stopwords. */
export interface Terms {
  all: string[];
  content: string[];
}

/** One pass over the text for both lists: this runs for every message. */
export function termsOf(text: string): Terms {
  const terms: Terms = { all: [], content: [] };
  const lower = normalizeText(text);
  let word = -1;
  let han = -1;
  for (let i = 0; i <= lower.length; i++) {
    const code = i < lower.length ? lower.charCodeAt(i) : 32;
    const isWord = (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || (code === 39 && word !== -1);
    const isHan = !isWord && isHanCode(code);
    if (!isWord && word !== -1) {
      addWord(terms, lower.slice(word, i));
      word = -1;
    }
    if (!isHan && han !== -1) {
      addHan(terms, lower.slice(han, i));
      han = -1;
    }
    if (isWord && word === -1) word = i;
    if (isHan && han === -1) han = i;
  }
  return terms;
}

function addWord(terms: Terms, raw: string): void {
  // "what's" → "whats", "you're" → "youre"
  const word = raw.includes("'") ? raw.replaceAll("'", "") : raw;
  if (word.length === 0) return;
  const stemmed = stem(word);
  terms.all.push(stemmed);
  if (!STOPWORDS.has(word)) terms.content.push(stemmed);
}

function addHan(terms: Terms, run: string): void {
  for (let i = 0; i < run.length; i++) {
    const one = run.charAt(i);
    terms.all.push(one);
    if (!HAN_FILLER.has(one)) terms.content.push(one);
  }
  for (let i = 0; i + 1 < run.length; i++) {
    const two = run.slice(i, i + 2);
    terms.all.push(two);
    if (!HAN_FILLER.has(two)) terms.content.push(two);
  }
}

/** Two Han characters: a Chinese bigram term (English terms never contain Han). */
export function isHanBigram(term: string): boolean {
  return term.length === 2 && isHanCode(term.charCodeAt(0)) && isHanCode(term.charCodeAt(1));
}

/** CJK ideographs of the Basic Multilingual Plane (rarer ones, outside it, count as neither word nor Han). */
function isHanCode(code: number): boolean {
  return (code >= 0x4e00 && code <= 0x9fff) || (code >= 0x3400 && code <= 0x4dbf) || (code >= 0xf900 && code <= 0xfaff);
}

/**
 * A light suffix stripper, enough to meet "close"/"closing"/"closes", "return"/"returns",
 * "ship"/"shipping". Both sides of a match go through it, so odd stems are harmless.
 */
export function stem(word: string): string {
  if (word.length <= 3 || (word.charCodeAt(0) >= 48 && word.charCodeAt(0) <= 57)) return word;
  let w = word;
  if (w.endsWith("ies") && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith("ing") && w.length > 5) w = w.slice(0, -3);
  else if (w.endsWith("ed") && w.length > 4) w = w.slice(0, -2);
  else if (w.endsWith("es") && w.length > 4) w = w.slice(0, -2);
  else if (w.endsWith("s") && !w.endsWith("ss")) w = w.slice(0, -1);
  if (w.length > 3 && w.endsWith("e")) w = w.slice(0, -1);
  // "shipp" (from "shipping") → "ship"
  const last = w.charAt(w.length - 1);
  if (w.length > 3 && last === w.charAt(w.length - 2) && !"aeiou".includes(last)) w = w.slice(0, -1);
  return w;
}
