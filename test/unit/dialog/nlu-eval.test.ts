import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseUtterance } from "../../../src/dialog/index.js";
import { loadBot } from "./harness.js";

/**
 * Held-out intent evaluation: utterances written as users would type them, none of them
 * among the definition's examples. The sets are not tuned to the model.
 */
interface Labelled {
  text: string;
  intent: string;
}

const here = dirname(fileURLToPath(import.meta.url));
const bot = loadBot("shop");
const normalize = (text: string): string =>
  text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\s\p{P}]+/gu, " ")
    .trim();
const examples = new Set(Object.values(bot.definition.intents).flatMap((i) => i.examples.map(normalize)));

for (const lang of ["en", "zh"] as const) {
  const set = JSON.parse(readFileSync(join(here, `nlu-eval.${lang}.json`), "utf8")) as Labelled[];

  describe(`NLU held-out evaluation (${lang})`, () => {
    it("has at least 80 utterances, none of them a definition example", () => {
      expect(set.length).toBeGreaterThanOrEqual(80);
      expect(set.filter((u) => examples.has(normalize(u.text))).map((u) => u.text)).toEqual([]);
    });

    it("classifies at least 90% of intents correctly", () => {
      const misses = set.map((u) => ({ ...u, got: parseUtterance(bot, u.text).intent })).filter((u) => u.got !== u.intent);
      const accuracy = 1 - misses.length / set.length;
      console.log(`NLU intent accuracy (${lang}): ${(accuracy * 100).toFixed(1)}% of ${set.length}`);
      for (const miss of misses) console.log(`  miss: ${JSON.stringify(miss.text)} → ${miss.got ?? "fallback"} (want ${miss.intent})`);
      expect(accuracy).toBeGreaterThanOrEqual(0.9);
    });
  });
}

describe("NLU out-of-domain probes", () => {
  it("send most off-topic sentences to the fallback (the threshold is not just lowered until everything passes)", () => {
    const probes = JSON.parse(readFileSync(join(here, "nlu-ood.json"), "utf8")) as string[];
    const accepted = probes.filter((text) => parseUtterance(bot, text).intent !== null);
    console.log(`NLU out-of-domain fallback rate: ${(((probes.length - accepted.length) / probes.length) * 100).toFixed(1)}% of ${probes.length}`);
    expect(accepted.length / probes.length).toBeLessThanOrEqual(0.2);
  });
});
