/** The LLM benchmark's fixtures: the shop with an `llm` section, published as stable, and what the fake says. */
import { readFileSync } from "node:fs";
import { FAKE_LLM_MODEL } from "../test/fakes/openai-chat.js";
import { adminCall, adminToken } from "./flash-setup.js";

const shop = JSON.parse(readFileSync(new URL("../bots/shop.json", import.meta.url), "utf8")) as object;

/** A knowledge question of the shop (its `returns` entry): the engine lets the model reword the answer. */
export const QUESTION = "how do I return shoes";

/** What the fake model answers: a plausible reworded answer that passes every output check. */
export const MODEL_REPLY =
  "You can return or exchange unworn shoes within 30 days. Start it from your order page; the refund reaches your card within 5 working days.";

/**
 * The bundled shop with an `llm` section (docs/bots.md), as test/worker/llm/fixtures.ts builds
 * it. The limits stay out of the way of a load test — a day's tokens per user and generations
 * per bot far above what one run asks, deadlines that a two-core machine under 1,000 streams
 * still meets — so what is measured is the path, not a refusal. `limits` overrides some of them
 * (the chaos run's LLM fault wants a short first-token deadline).
 */
export function llmShop(version: string, limits: Readonly<Record<string, number>> = {}): unknown {
  return {
    ...shop,
    version,
    llm: {
      model: FAKE_LLM_MODEL,
      prompts: { system: { en: "You are the shoe shop's assistant. Be brief and kind.", zh: "你是鞋店的助手，简短友好。" } },
      allowedHosts: ["shop.example"],
      limits: { tokensPerUserPerDay: 100_000_000, concurrentPerBot: 10_000, firstTokenMs: 60_000, totalMs: 120_000, ...limits },
    },
  };
}

/** Users whose id ends with this get the shop without the `llm` section: the same question answered by the rules alone. */
export const PLAIN_SUFFIX = "-plain";

/**
 * Publishes `llmShop(version)` as the shop's stable version, and the same shop without `llm`
 * as the canary of users ending in {@link PLAIN_SUFFIX}; every isolate follows within the rollout TTL.
 */
export async function publishLlmShop(origin: string, version: string, limits: Readonly<Record<string, number>> = {}): Promise<void> {
  const admin = await adminToken();
  const plain = `${version}${PLAIN_SUFFIX}`;
  await adminCall(origin, admin, "PUT", `/v1/admin/bots/shop/versions/${version}`, llmShop(version, limits));
  await adminCall(origin, admin, "PUT", `/v1/admin/bots/shop/versions/${plain}`, { ...shop, version: plain });
  await adminCall(origin, admin, "PUT", "/v1/admin/bots/shop/rollout", { stable: version, canary: { version: plain, suffixes: [PLAIN_SUFFIX] } });
  // ROLLOUT_TTL_MS is 2 s by default.
  await new Promise((resolve) => setTimeout(resolve, 2_500));
}
