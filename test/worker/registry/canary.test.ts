import { beforeAll, describe, expect, it } from "vitest";
import { call, tokenFor } from "../helpers.js";
import { SHOP_SIZE_PROMPT, adminToken, eventually, markedShop, publish, setRollout, turn, viewOf } from "./fixtures.js";

const CANARY = { stable: "1", canary: { version: "2", suffixes: ["7"] } };
const rollback = async (admin: string) => call("/v1/admin/bots/shop/rollback", { method: "POST", token: admin });

describe("a canary by user-ID suffix, end to end", () => {
  let admin: string;

  beforeAll(async () => {
    admin = await adminToken();
    expect((await publish(admin, "shop", "2", markedShop("2", "[v2]"))).status).toBe(201);
  }, 60_000);

  it("gives u7 the canary version's behaviour and u3 the stable one's, and shows it in GET /v1/conversation", async () => {
    expect((await setRollout(admin, "shop", CANARY)).status).toBe(200);
    const [u7, u3] = await Promise.all([tokenFor("u7"), tokenFor("u3")]);
    const canary = await turn(u7, "hello");
    expect(canary.botVersion).toBe("2");
    expect(canary.reply.text).toMatch(/^\[v2\] Hi!/);
    const stable = await turn(u3, "hello");
    expect(stable.botVersion).toBe("1");
    expect(stable.reply.text).toMatch(/^Hi!/);
    expect(await viewOf(u7)).toMatchObject({ botVersion: "2", cohort: "canary" });
    expect(await viewOf(u3)).toMatchObject({ botVersion: "1", cohort: "stable" });
    expect((await turn(u7, "hello")).botVersion).toBe("2"); // same user, same cohort
  });

  it("puts u7 back on stable within 5 s of a rollback, without a deploy or a restart", async () => {
    expect((await setRollout(admin, "shop", CANARY)).status).toBe(200);
    const u7 = await tokenFor("u7");
    await eventually(async () => ((await turn(u7, "hello")).botVersion === "2" ? true : undefined));
    const response = await rollback(admin);
    expect(await response.json()).toEqual({ rollout: { stable: "1" } });
    const { value, afterMs } = await eventually(async () => {
      const answer = await turn(u7, "hello");
      return answer.botVersion === "1" ? answer : undefined;
    });
    expect(value.reply.text).toMatch(/^Hi!/);
    expect(afterMs).toBeLessThan(5000);
    expect(await viewOf(u7)).toMatchObject({ botVersion: "1", cohort: "stable" });
  });

  it("finishes a flow started on the canary there, and starts the next flow on the user's current version", async () => {
    expect((await setRollout(admin, "shop", CANARY)).status).toBe(200);
    const user = await tokenFor("flow-user-7");
    const probe = await tokenFor("probe-user-7");
    await eventually(async () => ((await turn(probe, "hello")).botVersion === "2" ? true : undefined));
    const asked = await turn(user, "do you have running shoes?");
    expect(asked).toMatchObject({ botVersion: "2", reply: { text: `[v2] ${SHOP_SIZE_PROMPT}` } });

    await rollback(admin);
    await eventually(async () => ((await turn(probe, "hello")).botVersion === "1" ? true : undefined));
    expect(await viewOf(user)).toMatchObject({ activeFlow: "check_stock", botVersion: "2", cohort: "stable" });
    const answered = await turn(user, "42");
    expect(answered.botVersion).toBe("2");
    expect(answered.reply.text).toMatch(/running|size 42|42/);
    expect((await viewOf(user)).activeFlow).toBeNull();

    const next = await turn(user, "do you have canvas shoes?");
    expect(next).toMatchObject({ botVersion: "1", reply: { text: SHOP_SIZE_PROMPT } });
  });

  it("keeps every rollout change in the audit trail: who, when, from what to what", async () => {
    const other = await adminToken("release-manager");
    await setRollout(other, "shop", CANARY);
    await call("/v1/admin/bots/shop/rollback", { method: "POST", token: other });
    const overview = (await (await call("/v1/admin/bots/shop", { token: admin })).json()) as {
      audit: { by: string; action: string; from: unknown; to: unknown; at: number }[];
      versions: { version: string; counters: { turns: number } }[];
    };
    expect(overview.audit.slice(0, 2)).toEqual([
      { at: expect.any(Number), by: "release-manager", action: "rollback", from: CANARY, to: { stable: "1" } },
      { at: expect.any(Number), by: "release-manager", action: "set", from: { stable: "1" }, to: CANARY },
    ]);
    expect(overview.audit.at(-1)).toMatchObject({ by: "bundle", action: "initial" });
    // Counters reach the registry in batches, at most a second after the turns.
    await eventually(async () => {
      const { versions } = (await (await call("/v1/admin/bots/shop", { token: admin })).json()) as typeof overview;
      const turns = (version: string) => versions.find((v) => v.version === version)?.counters.turns ?? 0;
      return turns("1") > 0 && turns("2") > 0 ? true : undefined;
    });
  });
});
