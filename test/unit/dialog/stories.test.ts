import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { activeFlow } from "../../../src/dialog/index.js";
import { converse, initialDialogState, loadBot } from "./harness.js";
import type { Story } from "./story.js";

/**
 * Conversations as data (stories/*.json), run against the pure engine: each turn is
 * stepped, its events folded, its actions fulfilled, then the reply, slots and active
 * flow are checked. `after` is seconds since the previous turn (default 10).
 */
const here = dirname(fileURLToPath(import.meta.url));
const storyDir = join(here, "stories");
const START = Date.UTC(2026, 2, 1, 9, 0, 0);

for (const file of readdirSync(storyDir)
  .filter((f) => f.endsWith(".json"))
  .sort()) {
  const stories = JSON.parse(readFileSync(join(storyDir, file), "utf8")) as Story[];
  describe(`stories/${file}`, () => {
    for (const story of stories) it(story.name, () => play(story));
  });
}

function play(story: Story): void {
  const bot = loadBot(story.bot ?? "shop");
  let state = initialDialogState();
  let at = START;
  story.turns.forEach((turn, index) => {
    at += (turn.after ?? 10) * 1000;
    const out = converse(state, bot, turn.user, at, story.actions);
    state = out.state;
    const where = `turn ${index + 1} (${JSON.stringify(turn.user)}) → ${JSON.stringify(out.reply.text)}`;
    if (turn.bot !== undefined) expect(out.reply.text, where).toMatch(new RegExp(turn.bot, "u"));
    if (turn.botNot !== undefined) expect(out.reply.text, where).not.toMatch(new RegExp(turn.botNot, "u"));
    for (const q of turn.quickReplies ?? []) expect(out.reply.quickReplies ?? [], where).toContain(q);
    for (const [name, value] of Object.entries(turn.slots ?? {})) expect(state.slots[name]?.value ?? null, `${where}: slot ${name}`).toEqual(value);
    if (turn.flow !== undefined) expect(activeFlow(state), `${where}: active flow`).toBe(turn.flow);
    const types = out.events.map((e) => e.type);
    for (const type of turn.events ?? []) expect(types, where).toContain(type);
    for (const type of turn.noEvents ?? []) expect(types, where).not.toContain(type);
    if (turn.intent !== undefined) {
      const parsed = out.events.find((e) => e.type === "nlu.parsed");
      expect(parsed?.type === "nlu.parsed" ? parsed.intent : undefined, `${where}: intent`).toBe(turn.intent);
    }
    for (const expected of turn.actions ?? []) {
      expect(
        out.actions.map((a) => ({ name: a.name, kind: a.kind })),
        where,
      ).toContainEqual({ name: expected.name, kind: expected.kind ?? "builtin" });
    }
  });
}
