import { expect } from "vitest";
import shop from "../../../bots/shop.json";
import { FAKE_LLM_MODEL, FAKE_LLM_ORIGIN } from "../../fakes/openai-chat.js";
import { adminToken, publish, setRollout } from "../registry/fixtures.js";

/** The shop's scripted answer to "how do I return shoes": what goes out when generation does not. */
export const RETURNS_ANSWER = shop.knowledge.entries.find((entry) => entry.id === "returns")?.answer.en ?? "";

/** The bundled shop with an llm section: the fake model, links to shop.example only, and `limits` as given. */
export function llmShop(version: string, limits: Record<string, number> = {}, more: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...shop,
    version,
    llm: {
      model: FAKE_LLM_MODEL,
      prompts: { system: { en: "You are the shoe shop's assistant. Be brief and kind.", zh: "你是鞋店的助手，简短友好。" } },
      allowedHosts: ["shop.example"],
      bannedPhrases: ["guarantee"],
      ...more,
      limits: { firstTokenMs: 5_000, totalMs: 15_000, ...limits },
    },
  };
}

/**
 * Publishes the LLM shop as stable, and a quick-tempered variant (first token within 400 ms)
 * as the canary of users whose id ends in "-quick".
 */
export async function publishLlmShop(): Promise<void> {
  const token = await adminToken();
  for (const [version, limits] of [
    ["llm-1", {}],
    ["llm-quick", { firstTokenMs: 400 }],
  ] as const) {
    expect([200, 201]).toContain((await publish(token, "shop", version, llmShop(version, limits))).status);
  }
  expect((await setRollout(token, "shop", { stable: "llm-1", canary: { version: "llm-quick", suffixes: ["-quick"] } })).status).toBe(200);
}

/** A rule of the fake model (test/fakes/openai-chat.ts): the first whose `match` is in the last user message wins. */
export interface FakeRule {
  match: string;
  reply?: string;
  commands?: unknown[];
  firstTokenDelayMs?: number;
  chunkDelayMs?: number;
  fault?: "http500" | "cut" | "malformed" | "hang";
}

export async function fakeRules(rules: readonly FakeRule[]): Promise<void> {
  expect((await fetch(`${FAKE_LLM_ORIGIN}/__fake/rules`, { method: "POST", body: JSON.stringify(rules) })).ok).toBe(true);
}

/** Every request the fake model received whose body mentions `marker`, as JSON text. */
export async function fakeRequestsWith(marker: string): Promise<string[]> {
  const requests = (await (await fetch(`${FAKE_LLM_ORIGIN}/__fake/requests`)).json()) as { body: unknown }[];
  return requests.map((request) => JSON.stringify(request.body)).filter((body) => body.includes(marker));
}

/** Server-Sent Events as a test reads them: each event's name and parsed data, in order. */
export async function sseEvents(response: Response): Promise<{ event: string; data: unknown }[]> {
  const text = await response.text();
  return text
    .split("\n\n")
    .filter((block) => block.trim().length > 0)
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? "message";
      const data = /^data: (.*)$/m.exec(block)?.[1] ?? "null";
      return { event, data: JSON.parse(data) as unknown };
    });
}

/** A reply rebuilt from its deltas, by offset, as a client does. */
export function replay(deltas: readonly { offset: number; text: string }[]): string {
  let text = "";
  for (const delta of deltas) text = text.slice(0, delta.offset) + delta.text;
  return text;
}
