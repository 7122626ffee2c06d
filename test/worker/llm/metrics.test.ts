import { beforeAll, describe, expect, it } from "vitest";
import { statsAnswerSchema } from "../../../src/protocol/metrics.js";
import { call, tokenFor } from "../helpers.js";
import { metricsAdmin, movedBy, scrape } from "../metrics/scrape.js";
import { adminToken, publish, setRollout } from "../registry/fixtures.js";
import { fakeRules, llmShop } from "./fixtures.js";

const MODEL = 'model="fake-chat-1"';
const GENERATE = `${MODEL},use="generate"`;
const UNDERSTAND = `${MODEL},use="understand"`;

async function ask(token: string, text: string): Promise<{ reply: { text: string } }> {
  const response = await call("/v1/messages", { method: "POST", token, json: { text } });
  expect(response.status).toBe(200);
  return (await response.json()) as { reply: { text: string } };
}

/**
 * The LLM layer's metrics end to end in workerd: a reply the model wrote and a proposal it made
 * in a turn move parley_llm_* on /metrics by exactly that much, and GET /v1/admin/stats (the
 * /admin page's data) shows the same figures.
 */
describe("parley_llm_* after a generated reply and a proposal", { timeout: 30_000 }, () => {
  let admin: string;

  beforeAll(async () => {
    admin = await metricsAdmin();
    const publisher = await adminToken();
    expect([200, 201]).toContain((await publish(publisher, "shop", "llm-metrics", llmShop("llm-metrics"))).status);
    expect((await setRollout(publisher, "shop", { stable: "llm-metrics" })).status).toBe(200);
  });

  it("counts calls by use and outcome, tokens, first tokens, replies by source and commands by verdict", async () => {
    const written = "Send them back within 30 days: https://shop.example/returns";
    await fakeRules([
      { match: "how can I return the shoes I bought", reply: written },
      { match: "llm-metrics-propose", commands: [{ command: "start_flow", flow: "check_stock" }, { command: "launch_rocket" }] },
    ]);
    const before = await scrape(admin);
    expect((await ask(await tokenFor("llm-metrics-asker"), "how can I return the shoes I bought")).reply.text).toBe(written);
    // Nothing the rules know: they fall back unsure, and the model's start_flow opens the stock check.
    expect((await ask(await tokenFor("llm-metrics-unsure"), "llm-metrics-propose qwxz zzkq")).reply.text).toMatch(/^Which shoes are you interested in/);

    const moved = await movedBy(admin, before, {
      [`parley_llm_requests_total{${GENERATE},outcome="ok"}`]: 1,
      [`parley_llm_requests_total{${UNDERSTAND},outcome="ok"}`]: 1,
      [`parley_llm_first_token_seconds_count{${GENERATE}}`]: 1,
      [`parley_llm_first_token_seconds_count{${UNDERSTAND}}`]: 1,
      [`parley_llm_duration_seconds_count{${GENERATE}}`]: 1,
      'parley_llm_replies_total{bot="shop",model="fake-chat-1",source="generated",reason="none"}': 1,
      'parley_llm_commands_total{bot="shop",verdict="accepted"}': 1,
      'parley_llm_commands_total{bot="shop",verdict="dropped"}': 1,
    });
    expect(Object.values(moved)).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    const after = await scrape(admin);
    for (const use of [GENERATE, UNDERSTAND]) {
      for (const direction of ["in", "out"]) {
        const key = `parley_llm_tokens_total{${use},direction="${direction}"}`;
        expect(after.get(key) - before.get(key), key).toBeGreaterThan(0);
      }
    }

    const stats = statsAnswerSchema.parse(await (await call("/v1/admin/stats?window=15m", { token: admin })).json());
    expect(stats.totals.llm).toMatchObject({
      requests: { ok: 2, failed: 0 },
      replies: { generated: 1, scripted: 0 },
      commands: { accepted: 1, dropped: 1 },
      failures: [],
      scriptedReasons: [],
    });
    expect(stats.totals.llm.tokens.in).toBe(after.sum("parley_llm_tokens_total", { direction: "in" }));
    expect(stats.totals.llm.firstTokenMs.p50).toBeGreaterThan(0);
    expect(stats.buckets.reduce((sum, bucket) => sum + bucket.llm.requests.ok, 0)).toBe(2);
  });
});
