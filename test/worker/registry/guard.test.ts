import { beforeAll, describe, expect, it } from "vitest";
import { call, tokenFor } from "../helpers.js";
import { adminToken, eventually, markedShop, publish, setRollout, turn } from "./fixtures.js";

interface Overview {
  rollout: { stable: string; canary?: unknown };
  versions: { version: string; counters: { turns: number; fallbacks: number } }[];
  audit: { by: string; action: string; reason?: string }[];
}

describe("a guarded canary", () => {
  let admin: string;
  const overview = async () => (await (await call("/v1/admin/bots/shop", { token: admin })).json()) as Overview;

  beforeAll(async () => {
    admin = await adminToken();
    expect((await publish(admin, "shop", "2", markedShop("2", "[v2]"))).status).toBe(201);
  }, 60_000);

  it("rolls itself back after the configured fallbacks, and records why", async () => {
    const guarded = { stable: "1", canary: { version: "2", suffixes: ["9"], guard: { maxFallbackRate: 0.5, minTurns: 4 } } };
    expect((await setRollout(admin, "shop", guarded)).status).toBe(200);
    const users = await Promise.all(["g-a9", "g-b9"].map((id) => tokenFor(id)));
    const stable = await tokenFor("g-stable-1");
    await eventually(async () => ((await turn(users[0]!, "hello")).botVersion === "2" ? true : undefined));
    for (const text of ["qwxz zzkq", "blorp fnord wibble", "zzzz qqqq", "plix vorn"]) {
      expect((await turn(users[1]!, text)).botVersion).toBe("2");
      await turn(stable, text); // stable's fallbacks do not count against the canary
    }
    const { value } = await eventually(async () => {
      const now = await overview();
      return now.rollout.canary === undefined ? now : undefined;
    });
    expect(value.rollout).toEqual({ stable: "1" });
    expect(value.audit[0]).toMatchObject({ by: "guard", action: "rollback" });
    expect(value.audit[0]?.reason).toMatch(/^canary 2: fallback rate 0\.\d\d > 0\.50 over \d+ turns$/);
    expect(value.versions.find((v) => v.version === "2")?.counters.fallbacks).toBeGreaterThanOrEqual(4);
    await eventually(async () => ((await turn(users[1]!, "hello")).botVersion === "1" ? true : undefined));
  });
});
