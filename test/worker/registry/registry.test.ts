import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import shop from "../../../bots/shop.json";
import { canonicalJson } from "../../../src/rollout/canonical-json.js";

const registry = () => env.REGISTRY.getByName("global");
const body = (version: string, change: Record<string, unknown> = {}) => canonicalJson({ ...shop, version, ...change });
const outcomes = (version: string, turns: number, fallbacks: number) => ({ bot: "shop", version, turns, fallbacks, handoffs: 0, errors: 0 });

describe("BotRegistry", () => {
  // The first call loads and compiles the Worker's modules in workerd: slow on a busy machine, once.
  beforeAll(() => registry().getRollout("shop"), 60_000);

  it("seeds the bundled shop bot as stable, with an audit entry", async () => {
    const overview = await registry().describe("shop");
    expect(overview?.rollout).toEqual({ stable: "1" });
    expect(overview?.versions.map((v) => [v.version, v.publishedBy])).toEqual([["1", "bundle"]]);
    expect(overview?.audit).toEqual([{ at: expect.any(Number), by: "bundle", action: "initial", from: null, to: { stable: "1" } }]);
  });

  it("publishes a version once: the same body again is unchanged, another body a conflict", async () => {
    const first = await registry().publish({ bot: "shop", version: "r2", body: body("r2"), by: "alice" });
    expect(first).toMatchObject({ kind: "created", version: { bot: "shop", version: "r2", publishedBy: "alice" }, rollout: { stable: "1" } });
    const again = await registry().publish({ bot: "shop", version: "r2", body: body("r2"), by: "bob" });
    expect(again).toMatchObject({ kind: "unchanged", version: { publishedBy: "alice" } });
    const other = await registry().publish({ bot: "shop", version: "r2", body: body("r2", { defaultLanguage: "zh" }), by: "bob" });
    expect(other.kind).toBe("conflict");
    expect(await registry().getDefinition("shop", "r2")).toBe(body("r2"));
  });

  it("makes a new bot's first version its stable", async () => {
    const created = await registry().publish({ bot: "kiosk", version: "a", body: body("a", { id: "kiosk" }), by: "alice" });
    expect(created).toMatchObject({ kind: "created", rollout: { stable: "a" } });
    expect((await registry().describe("kiosk"))?.audit[0]).toMatchObject({ by: "alice", action: "initial", to: { stable: "a" } });
  });

  it("refuses a rollout naming an unpublished version or an unknown bot, and changes nothing", async () => {
    expect(await registry().setRollout("shop", { stable: "1", canary: { version: "nope", suffixes: ["7"] } }, "alice")).toEqual({
      ok: false,
      reason: "unknown_version",
      version: "nope",
    });
    expect(await registry().setRollout("ghost", { stable: "1" }, "alice")).toEqual({ ok: false, reason: "unknown_bot" });
    expect(await registry().getRollout("shop")).toEqual({ stable: "1" });
  });

  it("audits who changed the rollout, from what to what; a no-op change and an idle rollback leave no entry", async () => {
    await registry().publish({ bot: "shop", version: "r3", body: body("r3"), by: "alice" });
    const canary = { stable: "1", canary: { version: "r3", suffixes: ["7"] } };
    expect(await registry().setRollout("shop", canary, "carol")).toEqual({ ok: true, rollout: canary, changed: true });
    expect(await registry().setRollout("shop", canary, "carol")).toMatchObject({ changed: false });
    expect(await registry().rollback("shop", "dave")).toEqual({ ok: true, rollout: { stable: "1" }, changed: true });
    expect(await registry().rollback("shop", "dave")).toMatchObject({ changed: false });
    const audit = (await registry().describe("shop"))?.audit ?? [];
    expect(audit.slice(0, 2)).toEqual([
      { at: expect.any(Number), by: "dave", action: "rollback", from: canary, to: { stable: "1" } },
      { at: expect.any(Number), by: "carol", action: "set", from: { stable: "1" }, to: canary },
    ]);
  });

  it("adds outcome counters per version", async () => {
    await registry().publish({ bot: "shop", version: "r4", body: body("r4"), by: "alice" });
    await registry().recordOutcomes([outcomes("r4", 3, 1), { ...outcomes("r4", 2, 0), handoffs: 1, errors: 1 }]);
    const r4 = (await registry().describe("shop"))?.versions.find((v) => v.version === "r4");
    expect(r4?.counters).toEqual({ turns: 5, fallbacks: 1, handoffs: 1, errors: 1 });
  });

  it("rolls a guarded canary back by itself once its fallback rate is breached, counting only the canary's turns since it started", async () => {
    await registry().publish({ bot: "shop", version: "r5", body: body("r5"), by: "alice" });
    await registry().recordOutcomes([outcomes("r5", 10, 10)]); // before the canary: not judged
    const guarded = { stable: "1", canary: { version: "r5", percent: 10, guard: { maxFallbackRate: 0.5, minTurns: 4 } } };
    await registry().setRollout("shop", guarded, "carol");
    await registry().recordOutcomes([outcomes("r5", 3, 3), outcomes("1", 50, 40)]);
    expect((await registry().getRollout("shop"))?.canary?.version).toBe("r5");
    await registry().recordOutcomes([outcomes("r5", 1, 0)]);
    expect(await registry().getRollout("shop")).toEqual({ stable: "1" });
    const [entry] = (await registry().describe("shop"))?.audit ?? [];
    expect(entry).toMatchObject({ by: "guard", action: "rollback", from: guarded, to: { stable: "1" } });
    expect(entry?.reason).toBe("canary r5: fallback rate 0.75 > 0.50 over 4 turns");
  });

  it("leaves a healthy guarded canary in place", async () => {
    await registry().publish({ bot: "shop", version: "r6", body: body("r6"), by: "alice" });
    const guarded = { stable: "1", canary: { version: "r6", suffixes: ["7"], guard: { maxFallbackRate: 0.5, minTurns: 4 } } };
    await registry().setRollout("shop", guarded, "carol");
    await registry().recordOutcomes([outcomes("r6", 10, 2)]);
    expect(await registry().getRollout("shop")).toEqual(guarded);
    await registry().rollback("shop", "carol");
  });
});
