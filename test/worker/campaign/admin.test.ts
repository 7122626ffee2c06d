import { afterAll, describe, expect, it } from "vitest";
import { errorOf } from "../helpers.js";
import { admin, campaign, create, draw, reconciliation, settleAll } from "./fixtures.js";

// Cash wins start payout sagas that outlive their test: the file ends when they have.
afterAll(() => settleAll(), 30_000);

describe("campaign admin routes", () => {
  it("creates a campaign once: the same definition again is 200, another one 409", async () => {
    const first = await create(campaign("admin-create"));
    expect(first.status).toBe(201);
    const body = (await first.json()) as { created: boolean; status: string; totals: { budgetLeft: number; draws: number } };
    expect(body).toMatchObject({ created: true, status: "active", totals: { budgetLeft: 10_000, draws: 0 } });
    const again = await create({ ...campaign("admin-create"), prizes: [...campaign("x").prizes].reverse().reverse() });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ created: false });
    const other = await create(campaign("admin-create", { budget: 20_000 }));
    expect(other.status).toBe(409);
    expect((await errorOf(other)).code).toBe("conflict");
  });

  it("refuses an invalid campaign with a 400 naming the path, and stores nothing", async () => {
    const prizes = campaign("x").prizes;
    const floatAmount = await create(campaign("admin-invalid", { prizes: [prizes[0], { ...prizes[1], amount: 1.5 }] as typeof prizes }));
    expect(floatAmount.status).toBe(400);
    expect(await errorOf(floatAmount)).toMatchObject({ code: "invalid_request", message: expect.stringMatching(/^prizes\[1\]\.amount: /) });
    const backwards = await create(campaign("admin-invalid", { endsAt: "2024-01-01T00:00:00Z" }));
    expect(await errorOf(backwards)).toMatchObject({ code: "invalid_request", message: "endsAt: must be after startsAt" });
    const duplicate = await create(campaign("admin-invalid", { prizes: [prizes[0], { ...prizes[1], id: "cash-1" }] as typeof prizes }));
    expect((await errorOf(duplicate)).message).toBe('prizes[1].id: duplicate prize id "cash-1"');
    expect((await admin("/admin-invalid")).status).toBe(404);
  });

  it("lists campaigns, the bundled spring lottery among them", async () => {
    await create(campaign("admin-listed"));
    const { campaigns } = (await (await admin("")).json()) as { campaigns: { id: string; status: string }[] };
    expect(campaigns).toContainEqual(expect.objectContaining({ id: "admin-listed", status: "active" }));
    expect(campaigns).toContainEqual(expect.objectContaining({ id: "spring-lottery", status: "active" }));
  });

  it("seeds the bundled spring lottery on first ask: ¥1000, four prizes, four shards", async () => {
    const response = await admin("/spring-lottery");
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      definition: { budget: number; currency: string; shards: number; prizes: unknown[] };
      totals: { budgetLeft: number };
    };
    expect(body.definition).toMatchObject({ budget: 100_000, currency: "CNY", shards: 4 });
    expect(body.definition.prizes).toHaveLength(4);
  });

  it("pause closes draws, resume opens them, end closes them for good", async () => {
    await create(campaign("admin-status", { drawsPerUser: 10 }));
    const paused = await admin("/admin-status/pause", "POST");
    expect(await paused.json()).toEqual({ id: "admin-status", status: "paused", adminStatus: "paused", changed: true });
    expect(await (await admin("/admin-status/pause", "POST")).json()).toMatchObject({ changed: false });
    expect(await draw("admin-status", "status-user", "r1")).toEqual({ outcome: "closed", status: "paused" });
    await admin("/admin-status/resume", "POST");
    expect((await draw("admin-status", "status-user", "r2")).outcome).toMatch(/^(won|lost)$/);
    expect((await admin("/admin-status/end", "POST")).status).toBe(200);
    expect(await draw("admin-status", "status-user", "r3")).toEqual({ outcome: "closed", status: "ended" });
    const resumed = await admin("/admin-status/resume", "POST");
    expect(resumed.status).toBe(409);
    expect((await admin("/admin-status/end", "POST")).status).toBe(200);
    expect((await admin("/nope/pause", "POST")).status).toBe(404);
  });

  it("shows totals summed over shards and coordinator, and a reconciliation that balances", async () => {
    await create(campaign("admin-totals", { noPrizeWeight: 0 }));
    for (let i = 0; i < 12; i++) await draw("admin-totals", `totals-user-${i}`, "r1");
    const body = (await (await admin("/admin-totals")).json()) as { totals: { draws: number; wins: Record<string, number>; budgetLeft: number } };
    expect(body.totals.draws).toBe(12);
    expect(Object.values(body.totals.wins).reduce((a, b) => a + b, 0)).toBe(12);
    const books = await reconciliation("admin-totals");
    expect(books).toMatchObject({ ok: true, differences: [] });
    expect(books.shards).toHaveLength(4);
  });
});
