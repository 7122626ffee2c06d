import { describe, expect, it } from "vitest";
import type { BotDefinition, DialogEvent, DialogState } from "../../../src/dialog/index.js";
import { compileBot, parseUtterance, validateBotDefinition } from "../../../src/dialog/index.js";
import { buildBm25 } from "../../../src/dialog/knowledge/bm25.js";
import { termsOf } from "../../../src/dialog/knowledge/terms.js";
import { converse, initialDialogState, loadBot } from "./harness.js";

const bot = loadBot("shop");
const AT = Date.UTC(2026, 3, 1, 9);

/** Plays `texts` as one user, 5 s apart; returns every turn's output. */
function chat(texts: readonly string[]): ReturnType<typeof converse>[] {
  let state: DialogState = initialDialogState();
  return texts.map((text, index) => {
    const out = converse(state, bot, text, AT + index * 5000);
    state = out.state;
    return out;
  });
}

function typesOf(events: readonly DialogEvent[]): string[] {
  return events.map((e) => e.type);
}

describe("knowledge retrieval", () => {
  it.each([
    ["when do you close", "opening_hours"],
    ["what time do you shut?", "opening_hours"],
    ["are you open on Sunday", "opening_hours"],
    ["你们几点关门", "opening_hours"],
    ["晚上几点关门啊", "opening_hours"],
    ["can I send them back for a refund?", "returns"],
    ["鞋子不合适可以退吗", "returns"],
    ["is delivery free?", "shipping"],
    ["多久能到", "shipping"],
    ["can I pay with alipay", "payment"],
    ["能用微信付款吗", "payment"],
    ["do your shoes run small?", "size_guide"],
    ["尺码偏大吗", "size_guide"],
    ["do you sell socks?", "not_sold"],
    ["有没有袜子卖", "not_sold"],
    ["你们周六营业吗", "opening_hours"],
    ["尺码怎么选", "size_guide"],
  ])("%s → %s", (text, entry) => {
    const match = parseUtterance(bot, text).knowledge;
    expect(match?.entry).toBe(entry);
    expect(match?.accepted).toBe(true);
  });

  it.each(["what's the weather like", "what's 2+2", "I like turtles", "上海市浦东新区世纪大道100号", "the quick brown fox", "今天天气不错"])(
    "leaves unrelated text to the fallback: %s",
    (text) => {
      expect(parseUtterance(bot, text).knowledge?.accepted ?? false).toBe(false);
      const [turn] = chat([text]);
      expect(typesOf(turn?.events ?? [])).not.toContain("knowledge.answered");
    },
  );

  it("scores extra unknown words down: the more of the question is unexplained, the lower", () => {
    const index = buildBm25([
      { id: "hours", terms: termsOf("when do you close").content },
      { id: "socks", terms: termsOf("do you sell socks").content },
    ]);
    const plain = index.best(termsOf("do you sell socks").content);
    const padded = index.best(termsOf("do you sell socks umbrellas and kettles").content);
    expect(plain).toEqual({ id: "socks", score: 1 });
    expect(padded?.id).toBe("socks");
    expect(padded?.score ?? 1).toBeLessThan(0.5);
  });

  it("splits Chinese into characters and character bigrams, and stems English words", () => {
    expect(termsOf("你们几点").all).toEqual(["你", "们", "几", "点", "你们", "们几", "几点"]);
    expect(termsOf("Closing times?").content).toEqual(termsOf("close time").content);
  });

  it("answers a knowledge question in the user's language, with an event for history", () => {
    const [zh, en] = chat(["你们几点关门", "do you sell socks?"]);
    expect(zh?.reply.text).toContain("10:00–21:00");
    expect(zh?.events).toContainEqual(expect.objectContaining({ type: "knowledge.answered", entry: "opening_hours", flow: null }));
    expect(en?.reply.text).toMatch(/shoes only/);
    expect(typesOf(en?.events ?? [])).not.toContain("fallback.triggered");
  });
});

describe("small talk", () => {
  it.each([
    ["are you a bot", "bot_identity", /assistant/],
    ["你是机器人吗", "bot_identity", /助手/],
    ["how are you today?", "how_are_you", /doing great/],
    ["lol you're funny", "compliment", /Thank you/],
    ["you're useless", "insult", /human please/],
  ])("%s is answered in the bot's voice, not handed off", (text, entry, reply) => {
    const [turn] = chat([text]);
    expect(turn?.events).toContainEqual(expect.objectContaining({ type: "smalltalk.answered", entry }));
    expect(typesOf(turn?.events ?? [])).not.toContain("handoff.requested");
    expect(turn?.reply.text).toMatch(reply);
  });

  it("inside a flow, answers and asks the pending question again without leaving the flow", () => {
    const [, aside, answer] = chat(["I want to check stock", "how are you?", "running"]);
    expect(aside?.reply.text).toMatch(/doing great/);
    expect(aside?.reply.text).toMatch(/Which shoes/);
    expect(typesOf(aside?.events ?? [])).not.toContain("flow.ended");
    expect(typesOf(aside?.events ?? [])).not.toContain("ask.reprompted");
    expect(aside?.state.flows.map((f) => f.flow)).toEqual(["check_stock"]);
    expect(answer?.state.slots.product?.value).toBe("running");
    expect(answer?.reply.text).toMatch(/size/i);
  });

  it("answers a knowledge question in the middle of a flow, then re-asks (Chinese)", () => {
    const [, aside] = chat(["我想查库存", "你们几点关门"]);
    expect(aside?.reply.text).toContain("10:00–21:00");
    expect(aside?.reply.text).toContain("您想看哪一款");
    expect(aside?.state.flows.at(-1)?.waiting).toEqual({ kind: "ask", slot: "product" });
  });

  it("a real intent wins over small talk in the same message", () => {
    const [turn] = chat(["thanks, and do you have running shoes in size 42?"]);
    expect(typesOf(turn?.events ?? [])).not.toContain("smalltalk.answered");
    expect(turn?.events).toContainEqual(expect.objectContaining({ type: "flow.started", flow: "check_stock" }));
  });

  it("a message with a value for the flow goes to the flow, even when it reads like a knowledge question", () => {
    const [start] = chat(["running shoes please"]);
    expect(typesOf(start?.events ?? [])).not.toContain("knowledge.answered");
    expect(start?.reply.text).toMatch(/What size/);
    const [, outOfRange] = chat(["running shoes please", "size 60"]);
    expect(typesOf(outOfRange?.events ?? [])).toContain("ask.reprompted");
  });

  it("a stray word read as an entity no flow asks for does not stop a knowledge answer", () => {
    const [turn] = chat(["退货要多久"]);
    expect(turn?.events).toContainEqual(expect.objectContaining({ type: "knowledge.answered", entry: "returns" }));
  });

  it("while asked yes or no, '你是机器人吗' is small talk, not a yes: the question stays open", () => {
    const [asked, aside] = chat(["抽奖怎么玩", "你是机器人吗"]);
    expect(asked?.reply.text).toMatch(/现在帮您抽奖吗/);
    expect(aside?.reply.text).toMatch(/机器人/);
    expect(typesOf(aside?.events ?? [])).toContain("smalltalk.answered");
    expect(typesOf(aside?.events ?? [])).not.toContain("action.requested");
    expect(aside?.state.slots.confirm).toBeUndefined();
    expect(aside?.state.flows.at(-1)?.waiting).toEqual({ kind: "ask", slot: "confirm" });
  });

  it("a question about the flow's own subject, asked instead of its answer, gets the knowledge answer", () => {
    const [, asked, aside] = chat(["I'd like to check stock", "running shoes", "do you have a size guide?"]);
    expect(asked?.reply.text).toMatch(/What size/);
    expect(aside?.events).toContainEqual(expect.objectContaining({ type: "knowledge.answered", entry: "size_guide" }));
    expect(aside?.state.flows.at(-1)?.waiting).toEqual({ kind: "ask", slot: "size" });
  });

  it("matches knowledge on the text with its typos corrected", () => {
    expect(bot.knowledge.match("what are your opning hours").knowledge?.accepted).toBe(false);
    for (const [text, entry] of [
      ["what are your opning hours", "opening_hours"],
      ["can i retrun my shoes", "returns"],
    ] as const) {
      const [turn] = chat([text]);
      expect(turn?.events).toContainEqual(expect.objectContaining({ type: "knowledge.answered", entry }));
    }
  });

  it("an explicit request for a human still hands off", () => {
    for (const text of ["human please", "转人工"]) {
      const [turn] = chat([text]);
      expect(typesOf(turn?.events ?? [])).toContain("handoff.requested");
    }
  });
});

describe("definition", () => {
  it("the admin parse answer shows the knowledge and small-talk match with scores", () => {
    const parsed = parseUtterance(bot, "when do you close?");
    expect(parsed.knowledge).toMatchObject({ entry: "opening_hours", accepted: true });
    expect(parsed.knowledge?.score).toBeGreaterThanOrEqual(0.5);
    expect(parsed.smallTalk?.accepted ?? false).toBe(false);
  });

  it("a higher threshold keeps the fallback", () => {
    const strict = withKnowledgeThreshold(1.01);
    expect(strict.ok).toBe(false);
    const high = withKnowledgeThreshold(1);
    if (!high.ok) throw new Error(high.message);
    const compiled = compileBot(high.bot);
    expect(parseUtterance(compiled, "can I send them back for a refund?").knowledge?.accepted).toBe(false);
  });

  it("rejects two entries with the same id", () => {
    const def = structuredClone(bot.definition) as BotDefinition;
    const first = def.knowledge.entries[0];
    if (!first) throw new Error("shop has no knowledge entries");
    def.knowledge.entries.push({ ...first });
    expect(validateBotDefinition(def)).toMatchObject({ ok: false, path: `knowledge.entries[${def.knowledge.entries.length - 1}].id` });
  });
});

function withKnowledgeThreshold(threshold: number): ReturnType<typeof validateBotDefinition> {
  const def = structuredClone(bot.definition) as BotDefinition;
  return validateBotDefinition({ ...def, knowledge: { ...def.knowledge, threshold } });
}
