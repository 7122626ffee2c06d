import { describe, expect, it } from "vitest";
import type { BotRegistry } from "../../../durable-objects/registry/bot-registry.js";
import { BotCatalog, MAX_COMPILED_VERSIONS, MAX_STALE_MS } from "../../../platform/bot-catalog.js";
import type { CompiledBot } from "../../../src/dialog/index.js";
import type { Rollout } from "../../../src/rollout/rollout.js";

const TTL = 2000;

/** A registry whose answers the test releases one by one, on a clock the test moves. */
function harness(abandonedMs?: number) {
  let now = 1_000_000;
  const asked: ((rollout: Rollout | null) => void)[] = [];
  const registry = {
    getRollout: () => new Promise<Rollout | null>((resolve) => asked.push(resolve)),
  } as unknown as DurableObjectStub<BotRegistry>;
  const catalog = new BotCatalog(
    () => registry,
    TTL,
    () => now,
    abandonedMs,
  );
  const answer = async (rollout: Rollout | null) => {
    asked.shift()?.(rollout);
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  return {
    catalog,
    asked,
    advance: (ms: number) => (now += ms),
    answer,
    /** The catalog asks once and caches `rollout`, as a first turn leaves it. */
    cached: async (rollout: Rollout) => {
      const first = catalog.rollout("shop");
      await answer(rollout);
      await first;
    },
  };
}

describe("BotCatalog rollouts", () => {
  it("asks the registry once per TTL, however many turns ask", async () => {
    const h = harness();
    const first = Promise.all([h.catalog.rollout("shop"), h.catalog.rollout("shop")]);
    expect(h.asked).toHaveLength(1);
    await h.answer({ stable: "1" });
    expect(await first).toEqual([{ stable: "1" }, { stable: "1" }]);
    h.advance(TTL - 1);
    expect(await h.catalog.rollout("shop")).toEqual({ stable: "1" });
    expect(h.asked).toHaveLength(0);
  });

  it("past the TTL, keeps answering from the cache while one refresh runs, then answers the new rollout", async () => {
    const h = harness();
    await h.cached({ stable: "1" });
    h.advance(TTL);
    // A rollback happened: the turns that come meanwhile do not wait for the registry.
    expect(await h.catalog.rollout("shop")).toEqual({ stable: "1" });
    expect(await h.catalog.rollout("shop")).toEqual({ stable: "1" });
    expect(h.asked).toHaveLength(1);
    await h.answer({ stable: "0" });
    expect(await h.catalog.rollout("shop")).toEqual({ stable: "0" });
  });

  it("waits for the registry once the cached rollout is too old to serve", async () => {
    const h = harness();
    await h.cached({ stable: "1" });
    h.advance(TTL + MAX_STALE_MS);
    let settled: Rollout | undefined;
    const waiting = h.catalog.rollout("shop").then((rollout) => (settled = rollout));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(settled).toBeUndefined();
    await h.answer({ stable: "0" });
    expect(await waiting).toEqual({ stable: "0" });
  });

  it("keeps serving the last known rollout when the registry fails", async () => {
    const h = harness();
    await h.cached({ stable: "1" });
    h.advance(TTL + MAX_STALE_MS);
    const failing = h.catalog.rollout("shop");
    await h.answer(null); // the registry no longer knows the bot: an error, not a rollout
    expect(await failing).toEqual({ stable: "1" });
  });

  it("does not wait forever for a registry call nobody will answer (its context ended): past the limit it asks again", async () => {
    const h = harness(20);
    const waiting = h.catalog.rollout("shop");
    expect(h.asked).toHaveLength(1);
    h.asked.shift(); // the first call's context is gone: it never answers
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(h.asked).toHaveLength(1);
    await h.answer({ stable: "7" });
    expect(await waiting).toEqual({ stable: "7" });
    // and a new caller finds the answer cached
    expect(await h.catalog.rollout("shop")).toEqual({ stable: "7" });
    expect(h.asked).toHaveLength(0);
  });
});

describe("BotCatalog compiled versions", () => {
  it("keeps at most MAX_COMPILED_VERSIONS, dropping the least recently used", async () => {
    const h = harness();
    const bot = (version: string) => ({ id: "shop", version }) as unknown as CompiledBot;
    h.catalog.prime(bot("v0"));
    for (let i = 1; i <= MAX_COMPILED_VERSIONS + 4; i++) {
      h.catalog.prime(bot(`v${i}`));
      // v0 is in use all along (an open flow's version): it is never the least recently used.
      expect((await h.catalog.version("shop", "v0")).version).toBe("v0");
    }
    expect(h.catalog.compiledVersions).toBe(MAX_COMPILED_VERSIONS);
    const newest = `v${MAX_COMPILED_VERSIONS + 4}`;
    expect((await h.catalog.version("shop", newest)).version).toBe(newest);
    expect(h.catalog.compiledVersions).toBe(MAX_COMPILED_VERSIONS);
  });
});
