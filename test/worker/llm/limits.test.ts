import { beforeAll, describe, expect, it } from "vitest";
import { call, tokenFor } from "../helpers.js";
import { adminToken, eventually, publish, setRollout, viewOf } from "../registry/fixtures.js";
import { RETURNS_ANSWER, fakeRequestsWith, fakeRules, llmShop } from "./fixtures.js";

interface Exported {
  type: string;
  data: { generation?: { outcome: string; reason?: string } };
}

async function ask(token: string, text: string): Promise<string> {
  const response = await call("/v1/messages", { method: "POST", token, json: { text } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { reply: { text: string } }).reply.text;
}

async function lastGeneration(token: string): Promise<Exported["data"]["generation"]> {
  const lines = (await (await call("/v1/conversation/export", { token })).text()).trim().split("\n");
  return lines.map((line) => JSON.parse(line) as Exported).findLast((event) => event.type === "message.bot")?.data.generation;
}

/** Makes `version` the stable one and waits until a new user's turn would run on it (the catalog's rollout TTL). */
async function stableIs(version: string): Promise<void> {
  expect((await setRollout(await adminToken(), "shop", { stable: version })).status).toBe(200);
  let probe = 0;
  await eventually(async () => ((await viewOf(await tokenFor(`llm-probe-${version}-${probe++}`))).botVersion === version ? true : undefined));
}

const BUDGET_NOTE = "I can only give short scripted answers for the rest of today.";

/**
 * Three versions, each its own model name (so each has its own circuit breaker), by user suffix:
 * "-tight": 300 tokens a day; then, as stable, "llm-single": one generation at a time, and
 * "llm-broken": a model of its own that keeps failing.
 */
beforeAll(async () => {
  const token = await adminToken();
  const versions = [
    ["llm-limits", llmShop("llm-limits")],
    ["llm-tight", llmShop("llm-tight", { tokensPerUserPerDay: 300 })],
    ["llm-single", llmShop("llm-single", { concurrentPerBot: 1 })],
    ["llm-broken", llmShop("llm-broken", {}, { model: "fake-chat-broken" })],
  ] as const;
  for (const [version, definition] of versions) expect([200, 201]).toContain((await publish(token, "shop", version, definition)).status);
  expect((await setRollout(token, "shop", { stable: "llm-limits", canary: { version: "llm-tight", suffixes: ["-tight"] } })).status).toBe(200);
});

describe("the LLM layer's limits", () => {
  it("a user whose daily tokens are spent gets the scripted answer and is told so, without the model being asked", async () => {
    await fakeRules([{ match: "return shoes on a budget", reply: "Thirty days, no questions asked, for every pair you buy from us." }]);
    const token = await tokenFor("llm-budget-tight");
    expect(await ask(token, "how do I return shoes on a budget")).toBe("Thirty days, no questions asked, for every pair you buy from us.");
    const before = (await fakeRequestsWith("return shoes on a budget")).length;
    expect(await ask(token, "how do I return shoes on a budget")).toBe(`${RETURNS_ANSWER}\n${BUDGET_NOTE}`);
    expect(await lastGeneration(token)).toMatchObject({ outcome: "scripted", reason: "budget" });
    expect(await fakeRequestsWith("return shoes on a budget")).toHaveLength(before);
    // Another user of the same version has a budget of their own.
    expect(await ask(await tokenFor("llm-budget-other-tight"), "how do I return shoes on a budget")).toBe(
      "Thirty days, no questions asked, for every pair you buy from us.",
    );
  });

  it("one generation at a time per bot: a second at once gets the scripted answer (busy)", async () => {
    await stableIs("llm-single");
    await fakeRules([{ match: "return shoes one at a time", reply: "Thirty days to send them back, free.", firstTokenDelayMs: 600 }]);
    const [first, second] = await Promise.all([
      tokenFor("llm-single-a").then((user) => ask(user, "how do I return shoes one at a time").then(async (text) => ({ text, user }))),
      new Promise((resolve) => setTimeout(resolve, 150))
        .then(() => tokenFor("llm-single-b"))
        .then((user) => ask(user, "how do I return shoes one at a time").then(async (text) => ({ text, user }))),
    ]);
    expect(first.text).toBe("Thirty days to send them back, free.");
    expect(second.text).toBe(RETURNS_ANSWER);
    expect(await lastGeneration(second.user)).toMatchObject({ outcome: "scripted", reason: "busy" });
  });

  it("a model that keeps failing is not asked again for a while: the circuit opens after five failures in a row", async () => {
    await stableIs("llm-broken");
    await fakeRules([{ match: "return shoes to a broken model", fault: "http500" }]);
    const reasons: (string | undefined)[] = [];
    for (let i = 0; i < 6; i++) {
      const user = await tokenFor(`llm-broken-${i}`);
      expect(await ask(user, "how do I return shoes to a broken model")).toBe(RETURNS_ANSWER);
      reasons.push((await lastGeneration(user))?.reason);
    }
    expect(reasons).toEqual(["http", "http", "http", "http", "http", "circuit_open"]);
    expect(await fakeRequestsWith("return shoes to a broken model")).toHaveLength(5);
  });
});
