import { expect } from "vitest";
import shop from "../../../bots/shop.json";
import { call, tokenFor } from "../helpers.js";

export const SHOP_GREETING = "Hi! I'm the shoe shop assistant.";
export const SHOP_SIZE_PROMPT = "What size do you need (EU 30–50)?";

/**
 * The shop bot as another version whose greeting and size prompt start with `mark`: the
 * behaviour a canary user sees, and a way to tell which version answered a turn mid-flow.
 */
export function markedShop(version: string, mark: string): Record<string, unknown> {
  const text = JSON.stringify({ ...shop, version })
    .replace(SHOP_GREETING, `${mark} ${SHOP_GREETING}`)
    .replace(SHOP_SIZE_PROMPT, `${mark} ${SHOP_SIZE_PROMPT}`);
  return JSON.parse(text) as Record<string, unknown>;
}

export const adminToken = (userId = "ops-admin") => tokenFor(userId, ["admin"]);

export async function publish(token: string, bot: string, version: string, definition: unknown): Promise<Response> {
  return call(`/v1/admin/bots/${bot}/versions/${version}`, { method: "PUT", token, json: definition });
}

export async function setRollout(token: string, bot: string, rollout: unknown): Promise<Response> {
  return call(`/v1/admin/bots/${bot}/rollout`, { method: "PUT", token, json: rollout });
}

export interface Turn {
  seq: number;
  reply: { text: string };
  botVersion: string;
}

export async function turn(token: string, text: string): Promise<Turn> {
  const response = await call("/v1/messages", { method: "POST", token, json: { text } });
  expect(response.status).toBe(200);
  return (await response.json()) as Turn;
}

export async function viewOf(token: string): Promise<{ botVersion: string | null; cohort: string; activeFlow: string | null }> {
  return (await (await call("/v1/conversation", { token })).json()) as { botVersion: string | null; cohort: string; activeFlow: string | null };
}

/** Retries `probe` until it returns a value (not undefined) or `withinMs` passes; answers the value and how long it took. */
export async function eventually<T>(probe: () => Promise<T | undefined>, withinMs = 5000, everyMs = 50): Promise<{ value: T; afterMs: number }> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) return { value, afterMs: Date.now() - started };
    if (Date.now() - started > withinMs) throw new Error(`not within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
