import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { conversationsDir, evaluateSplits, loadConversationFiles, loadShopBot } from "../../support/conversations/load.js";
import { formatReport, scoreVerdicts } from "../../support/conversations/report.js";

/**
 * The conversation test set (test/fixtures/conversations/, `npm run eval` for the full report).
 * Both halves must be well-formed; only the development half is scored here, against a floor
 * per language (floor.json) that is raised as the engine improves, so a regression fails. The
 * held-out half is run only to report, never tuned against.
 */
const floorSchema = z.strictObject({ note: z.string().optional(), dev: z.strictObject({ en: z.number(), zh: z.number(), mixed: z.number() }) });
const floor = floorSchema.parse(JSON.parse(readFileSync(join(conversationsDir, "floor.json"), "utf8")) as unknown);
const PSEUDO_HANDLERS = /^(fallback|smalltalk|knowledge:[a-z0-9_]+)$/;

describe("conversation test set", () => {
  const files = loadConversationFiles();
  const all = files.flatMap((file) => file.conversations.map((conversation) => ({ split: file.split, conversation })));

  it("holds at least 60 conversations, both languages in each half, ids unique", () => {
    expect(all.length).toBeGreaterThanOrEqual(60);
    for (const split of ["dev", "held-out"] as const) {
      const langs = all.filter((c) => c.split === split).map((c) => c.conversation.lang);
      for (const lang of ["en", "zh", "mixed"] as const)
        expect(langs.filter((l) => l === lang).length, `${split} ${lang}`).toBeGreaterThan(lang === "mixed" ? 1 : 10);
    }
    const ids = all.map((c) => c.conversation.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("names only the bot's flows and slots, and valid reply patterns", () => {
    const bot = loadShopBot();
    for (const { conversation } of all) {
      for (const [index, turn] of conversation.turns.entries()) {
        const where = `${conversation.id} turn ${index + 1}`;
        expect(PSEUDO_HANDLERS.test(turn.handled) || turn.handled in bot.definition.flows, `${where}: handled ${turn.handled}`).toBe(true);
        if (turn.flow) expect(bot.definition.flows, where).toHaveProperty(turn.flow);
        for (const slot of Object.keys(turn.slots ?? {})) expect(bot.definition.slots, `${where}: slot ${slot}`).toHaveProperty(slot);
        for (const pattern of [turn.reply, turn.replyNot]) if (pattern !== undefined) expect(() => new RegExp(pattern, "iu"), where).not.toThrow();
      }
    }
  });

  it("marks a handful of conversations for the Worker sample", () => {
    const sample = all.filter((c) => c.conversation.worker);
    expect(sample.length).toBeGreaterThanOrEqual(4);
    expect(sample.length).toBeLessThanOrEqual(8);
  });

  it("scores the development half at or above the recorded floor in each language", async () => {
    const verdicts = await evaluateSplits(["dev"]);
    const scores = scoreVerdicts(verdicts).dev;
    const report = formatReport(verdicts, ["dev"]);
    for (const lang of ["en", "zh", "mixed"] as const) expect(scores[lang].accuracy, `${lang}\n${report}`).toBeGreaterThanOrEqual(floor.dev[lang]);
  });
});
