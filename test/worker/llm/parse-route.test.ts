import { beforeAll, describe, expect, it } from "vitest";
import type { ParseLlm } from "../../../src/protocol/admin.js";
import { parseAnswerSchema } from "../../../src/protocol/admin.js";
import { call } from "../helpers.js";
import { adminToken, publish } from "../registry/fixtures.js";
import { fakeRequestsWith, fakeRules, llmShop } from "./fixtures.js";

/** The parse route's answer, checked against its documented schema. */
async function parse(admin: string, body: Record<string, unknown>): Promise<{ intent: string | null; botVersion: string; llm?: ParseLlm }> {
  const response = await call("/v1/admin/bots/shop/parse", { method: "POST", token: admin, json: body });
  expect(response.status).toBe(200);
  return parseAnswerSchema.parse(await response.json());
}

/**
 * POST /v1/admin/bots/:bot/parse with a version that has a language model: what the model
 * proposed for the sentence, from a new conversation, and what validation kept of it — the
 * same proposal a turn would act on when its rules are unsure.
 */
describe("the parse route with a bot version's language model", () => {
  let admin: string;

  beforeAll(async () => {
    admin = await adminToken();
    // The bundled shop ("1", no llm section) stays stable; llm-1 is published beside it.
    expect([200, 201]).toContain((await publish(admin, "shop", "llm-1", llmShop("llm-1"))).status);
  });

  it("shows both commands the model proposed, the one validation kept, and the one it dropped with its reason", async () => {
    const text = "parse-route-propose: something about boots and rockets";
    await fakeRules([{ match: "parse-route-propose", commands: [{ command: "start_flow", flow: "check_stock" }, { command: "launch_rocket" }] }]);
    const answer = await parse(admin, { text, version: "llm-1" });
    expect(answer.botVersion).toBe("llm-1");
    expect(answer.llm).toEqual({
      outcome: "ok",
      proposed: [{ command: "start_flow", flow: "check_stock" }, { command: "launch_rocket" }],
      accepted: [{ command: "start_flow", flow: "check_stock" }],
      dropped: [{ command: { command: "launch_rocket" }, reason: 'unknown command "launch_rocket"' }],
    });
    // The model was asked for JSON by the bot's command schema, with the sentence as the user's message.
    const asked = await fakeRequestsWith("parse-route-propose");
    expect(asked).toHaveLength(1);
    expect(asked[0]).toContain("response_format");
  });

  it("says how the call failed when the provider does, with nothing proposed", async () => {
    await fakeRules([{ match: "parse-route-broken", fault: "http500" }]);
    const answer = await parse(admin, { text: "parse-route-broken: where are my shoes", version: "llm-1" });
    expect(answer.llm).toMatchObject({ outcome: "http", proposed: [], accepted: [], dropped: [] });
    expect(answer.llm?.error).toMatch(/500/);
  });

  it("says why a proposal could not be read when the model answers something else than commands", async () => {
    await fakeRules([{ match: "parse-route-prose", reply: "I think they want boots." }]);
    const answer = await parse(admin, { text: "parse-route-prose: boots please", version: "llm-1" });
    expect(answer.llm).toEqual({ outcome: "ok", error: "not JSON", proposed: [], accepted: [], dropped: [] });
  });

  it("asks no model when told not to, or when the version has no llm section", async () => {
    await fakeRules([{ match: "parse-route-silent", commands: [{ command: "chitchat" }] }]);
    const off = await parse(admin, { text: "parse-route-silent: hello there", version: "llm-1", llm: false });
    expect(off.llm).toBeUndefined();
    const scripted = await parse(admin, { text: "parse-route-silent: hello again", llm: true });
    expect(scripted.botVersion).toBe("1");
    expect(scripted.llm).toBeUndefined();
    expect(await fakeRequestsWith("parse-route-silent")).toEqual([]);
  });
});
