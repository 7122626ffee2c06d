import { evictDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { say, tokenFor } from "../../helpers.js";

/** Turns counted for the bot's stable version, as the registry holds them (what a canary's report card reads). */
async function stableTurns(): Promise<number> {
  const overview = await env.REGISTRY.getByName("global").describe("shop");
  return overview?.versions.reduce((sum, version) => sum + version.counters.turns, 0) ?? 0;
}

async function until(done: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The actor hands its turn outcomes to the isolate's batcher and answers at once; nothing else
 * (no admin route, no later request) flushes them here. A Durable Object's `waitUntil` keeps
 * nothing alive, so the batch must go out by the batcher's own timer, also when the actor is
 * evicted right after its turn.
 */
describe("turn outcomes leave the actor by themselves", () => {
  it("reach the registry with no request after the turn", async () => {
    const before = await stableTurns();
    expect((await say(await tokenFor("outcome-alone"), "hello", "o1")).status).toBe(200);
    await until(async () => (await stableTurns()) === before + 1, "the turn's outcome at the registry");
  });

  it("reach the registry when the actor is evicted right after its turn", async () => {
    const before = await stableTurns();
    const token = await tokenFor("outcome-evicted");
    for (const id of ["e1", "e2", "e3"]) expect((await say(token, "hello", id)).status).toBe(200);
    await evictDurableObject(env.CONVERSATION.getByName("outcome-evicted"));
    await until(async () => (await stableTurns()) === before + 3, "three outcomes at the registry");
  });
});
