/**
 * Terms for retrieval: English words (lower-cased, lightly stemmed) and Chinese characters
 * with their bigrams. Chinese has no spaces, so "你们几点关门" becomes 你 们 几 点 关 门 and
 * 你们 们几 几点 点关 关门: a paraphrase sharing 几点 and 关门 scores high, one that shares
 * only characters ("袜" and "卖" in "有没有袜子卖") still scores some.
 */
import { isHan, normalizeText } from "../nlu/text.js";

/**
 * Words that say nothing about which answer is wanted ("do you …", "what is the …").
 * Dropped only where an index asks for it: small talk is made of exactly these words.
 */
const STOPWORDS: ReadonlySet<string> = new Set(
  "a an the i me my we our you your it its is are was be been am do does did can could would will should shall to of in on at for with and or but so if what which who whom how when where why this that these those there here any some have has had please hi hey just about tell know want like get".split(
    " ",
  ),
);

/** The terms of `text`, in order, duplicates kept (BM25 counts them). */
export function termsOf(text: string, dropStopwords: boolean): string[] {
  const terms: string[] = [];
  let word = "";
  let han = "";
  const flushWord = (): void => {
    if (word.length > 0 && !(dropStopwords && STOPWORDS.has(word))) terms.push(stem(word));
    word = "";
  };
  const flushHan = (): void => {
    for (const char of han) terms.push(char);
    for (let i = 0; i + 1 < han.length; i++) terms.push(han.slice(i, i + 2));
    han = "";
  };
  for (const char of normalizeText(text)) {
    if (isHan(char)) {
      flushWord();
      han += char;
    } else if ((char >= "a" && char <= "z") || (char >= "0" && char <= "9")) {
      flushHan();
      word += char;
    } else if (char !== "'") {
      // An apostrophe stays inside the word ("what's" → "whats"); anything else ends both runs.
      flushWord();
      flushHan();
    }
  }
  flushWord();
  flushHan();
  return terms;
}

/**
 * A light suffix stripper, enough to meet "close"/"closing"/"closes", "return"/"returns",
 * "ship"/"shipping". Both sides of a match go through it, so odd stems are harmless.
 */
export function stem(word: string): string {
  if (word.length <= 3 || /^\d/.test(word)) return word;
  let w = word;
  if (w.endsWith("ies") && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith("ing") && w.length > 5) w = w.slice(0, -3);
  else if (w.endsWith("ed") && w.length > 4) w = w.slice(0, -2);
  else if (w.endsWith("es") && w.length > 4) w = w.slice(0, -2);
  else if (w.endsWith("s") && !w.endsWith("ss")) w = w.slice(0, -1);
  if (w.length > 3 && w.endsWith("e")) w = w.slice(0, -1);
  // "shipp" (from "shipping") → "ship"
  if (w.length > 3 && w.at(-1) === w.at(-2) && !"aeiou".includes(w.at(-1) ?? "")) w = w.slice(0, -1);
  return w;
}
