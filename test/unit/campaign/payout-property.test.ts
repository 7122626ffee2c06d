import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { payoutIdempotencyKey } from "../../../src/campaign/payout-id.js";
import type { PayoutSagaOutput } from "../../../src/campaign/payout-saga-plan.js";
import type { PayoutPorts, SagaSteps, StepConfig, StepDuration } from "../../../src/campaign/payout-saga-run.js";
import { runPayoutSaga } from "../../../src/campaign/payout-saga-run.js";
import type { PayoutNotice, PayoutRecord } from "../../../src/campaign/types.js";
import { createFakePaymentProvider } from "../../../src/payments/fake-provider.js";
import type { FakeFaults } from "../../../src/payments/fake-state.js";
import { httpPaymentProvider } from "../../../src/payments/http-provider.js";
import { FAKE_PAYMENTS_ORIGIN, FAKE_PAYMENTS_SECRET, fetchFromFake } from "../../fakes/payments.js";

/**
 * The saga (src/campaign/payout-saga-run.ts, the very code the Workflow runs) against the fake
 * provider through the HTTP adapter, with a step runner that behaves like Workflows: a step's
 * result is kept once it returns, a failing step is retried up to its limit, and a crash restarts
 * the whole run, replaying kept results — including a crash right after a step's work was done
 * and before its result was kept. Faults come per provider request, per shard and notify call.
 */

type ProviderFault = "ok" | "5xx" | "timeoutAfterSuccess" | "slow" | "reject" | "pending" | "pendingReject" | "duplicateCallbacks" | "lostCallback";
type CallFault = "ok" | "fail";
type CrashPoint = "before" | "after" | "none";

class Crash extends Error {}

const drawId = "spring:3f0c9a1b2c3d4e5f:1";
const reserved: PayoutRecord = {
  drawId,
  campaignId: "spring",
  shard: 0,
  userKey: "3f0c9a1b2c3d4e5f",
  conversationId: "alice",
  language: "en",
  prizeId: "cash-5",
  amount: 500,
  currency: "CNY",
  state: "reserved",
  reservedAt: 1,
};

const FAULT_OF: Record<ProviderFault, FakeFaults> = {
  ok: {},
  "5xx": { fail5xx: 1 },
  timeoutAfterSuccess: { timeoutAfterSuccess: 1, timeoutDelayMs: 0 },
  // Longer than the adapter waits: the answer is lost, the request may still be acted on.
  slow: { slowMs: 40 },
  reject: { rejectAll: "limit_exceeded" },
  pending: { async: true },
  pendingReject: { async: true, rejectAll: "invalid_account" },
  duplicateCallbacks: { async: true, duplicateCallbacks: true },
  lostCallback: { async: true },
};

interface World {
  record: PayoutRecord;
  told: Map<string, PayoutNotice>;
  events: unknown[];
}

/** Takes the next fault of a script, "ok" once it runs out. */
const next = <T>(script: T[], ok: T): T => script.shift() ?? ok;

function portsOf(
  world: World,
  providerFaults: ProviderFault[],
  callFaults: CallFault[],
): { ports: PayoutPorts; idle: () => Promise<void>; ledger: () => ReturnType<ReturnType<typeof createFakePaymentProvider>["ledger"]> } {
  let lostCallbacks = false;
  const fake = createFakePaymentProvider({
    secret: FAKE_PAYMENTS_SECRET,
    // The callback route: a signed callback becomes an event of the saga (unless this one is lost).
    fetch: async (_url, init) => {
      if (!lostCallbacks) world.events.push(JSON.parse(String(init.body)));
      return new Response(null, { status: lostCallbacks ? 503 : 200 });
    },
  });
  const toFake = fetchFromFake(fake);
  const provider = httpPaymentProvider({
    baseUrl: FAKE_PAYMENTS_ORIGIN,
    secret: FAKE_PAYMENTS_SECRET,
    timeoutMs: 20,
    fetch: (url, init) => {
      const fault = next(providerFaults, "ok");
      lostCallbacks = fault === "lostCallback";
      fake.setFaults(FAULT_OF[fault]);
      return toFake(url, init);
    },
  });
  const shardCall = <T>(work: () => T): Promise<T> =>
    next(callFaults, "ok") === "fail" ? Promise.reject(new Error("shard overloaded")) : Promise.resolve(work());
  const ports: PayoutPorts = {
    payout: () => shardCall(() => world.record),
    settle: (_, providerRef) =>
      shardCall(() => {
        if (world.record.state === "released") throw new Error("released: cannot be settled");
        if (world.record.state === "reserved") world.record = { ...world.record, state: "paid", providerRef };
        return world.record;
      }),
    release: (_, reason) =>
      shardCall(() => {
        if (world.record.state === "paid") throw new Error("paid: cannot be released");
        if (world.record.state === "reserved") world.record = { ...world.record, state: "released", reason };
        return world.record;
      }),
    provider: () => provider,
    notify: (_, notice) => shardCall(() => world.told.set(`${notice.drawId}:${notice.outcome}`, notice)),
    callbackUrl: "https://parley.example/v1/payments/callback",
  };
  return { ports, idle: () => fake.idle(), ledger: () => fake.ledger() };
}

/**
 * A Workflows-like runner: kept results, retries per config, crashes at scripted points. After a
 * crash the run is dead — every later step throws without running, whatever the saga makes of
 * it — and `runToEnd` replays it.
 */
function stepsOf(world: World, kept: Map<string, unknown>, crashes: CrashPoint[], idle: () => Promise<void>): SagaSteps & { dead: boolean } {
  const counts = new Map<string, number>();
  const crash = (key: string): never => {
    steps.dead = true;
    throw new Crash(key);
  };
  const keyOf = (name: string) => {
    const count = (counts.get(name) ?? 0) + 1;
    counts.set(name, count);
    return `${name}#${count}`;
  };
  const steps = {
    dead: false,
    async do<T>(name: string, config: StepConfig, run: () => Promise<T>): Promise<T> {
      const key = keyOf(name);
      if (steps.dead) crash(key);
      if (kept.has(key)) return kept.get(key) as T;
      let failure: unknown;
      for (let attempt = 0; attempt <= config.retries.limit; attempt++) {
        const point = next(crashes, "none");
        if (point === "before") crash(key);
        let value: T;
        try {
          value = await run();
        } catch (error) {
          failure = error;
          continue;
        }
        if (point === "after") crash(key);
        kept.set(key, value);
        return value;
      }
      throw failure;
    },
    async waitForEvent(name: string, options: { type: string; timeout: StepDuration }): Promise<unknown> {
      const key = keyOf(`wait:${name}`);
      if (steps.dead) crash(key);
      if (kept.has(key)) return kept.get(key);
      await idle(); // a callback on its way arrives before the wait ends…
      const event = world.events.shift();
      if (event === undefined) throw new Error(`${options.type}: timed out`); // …or it never comes
      kept.set(key, event);
      return event;
    },
  };
  return steps;
}

/** Runs the saga to its end: a crash restarts it, replaying what the steps kept. */
async function runToEnd(world: World, ports: PayoutPorts, crashes: CrashPoint[], idle: () => Promise<void>): Promise<PayoutSagaOutput> {
  const kept = new Map<string, unknown>();
  for (;;) {
    const steps = stepsOf(world, kept, crashes, idle);
    const output = await runPayoutSaga({ drawId, campaignId: "spring", shard: 0 }, ports, steps);
    if (!steps.dead) return output;
  }
}

const providerFault = fc.constantFrom<ProviderFault>(
  "ok",
  "5xx",
  "timeoutAfterSuccess",
  "slow",
  "reject",
  "pending",
  "pendingReject",
  "duplicateCallbacks",
  "lostCallback",
);

describe("payout saga property: random provider faults, shard failures and crashes", () => {
  it("never pays a win twice; it ends paid, or compensated and told, or unsettled — never released after a possible payment", async () => {
    const key = await payoutIdempotencyKey(drawId);
    await fc.assert(
      fc.asyncProperty(
        // A burst of failures first (sometimes longer than a step's retries), then any mix.
        fc.nat({ max: 9 }).chain((burst) => fc.array(providerFault, { maxLength: 10 }).map((rest) => [...Array<ProviderFault>(burst).fill("5xx"), ...rest])),
        fc
          .nat({ max: 9 })
          .chain((burst) =>
            fc.array(fc.constantFrom<CallFault>("ok", "fail"), { maxLength: 8 }).map((rest) => [...Array<CallFault>(burst).fill("fail"), ...rest]),
          ),
        fc.array(fc.constantFrom<CrashPoint>("none", "none", "before", "after"), { maxLength: 10 }),
        fc.boolean(),
        async (providerFaults, callFaults, crashes, secondSaga) => {
          const world: World = { record: { ...reserved }, told: new Map(), events: [] };
          const { ports, idle, ledger } = portsOf(world, [...providerFaults], [...callFaults]);
          const first = await runToEnd(world, ports, [...crashes], idle);
          // A second saga for the same win (a restart by an operator): it ends as the first did, or finishes what it left unsettled.
          const second = secondSaga ? await runToEnd(world, ports, [], idle) : null;
          if (second && first.outcome !== "unsettled") expect(second.outcome).toBe(first.outcome);
          const output = second ?? first;
          await idle();

          const payments = ledger().payments.filter((payment) => payment.reference === drawId);
          expect(payments.length).toBeLessThanOrEqual(1);
          expect(payments.every((payment) => payment.idempotencyKey === key)).toBe(true);
          const paidAtProvider = payments.some((payment) => payment.status === "paid");

          if (output.outcome === "paid") {
            expect(world.record.state).toBe("paid");
            expect(paidAtProvider).toBe(true);
            expect(world.told.has(`${drawId}:paid`)).toBe(output.notified);
          } else if (output.outcome === "compensated") {
            expect(world.record).toMatchObject({ state: "released", reason: output.reason });
            expect(payments).toEqual([expect.objectContaining({ status: "rejected" })]);
            expect(world.told.has(`${drawId}:failed`)).toBe(output.notified);
          } else {
            expect(output.outcome).toBe("unsettled");
            expect(world.record.state).not.toBe("released");
          }
          // A released reservation was rejected by the provider; a paid payment is never released.
          if (world.record.state === "released") expect(paidAtProvider).toBe(false);
          if (paidAtProvider) expect(world.record.state).not.toBe("released");
          // Fewer failures than a step's attempts: every win ends paid or compensated, and the winner is told.
          const transient = providerFaults.filter((fault) => fault === "5xx" || fault === "slow" || fault === "timeoutAfterSuccess");
          if (transient.length <= 6 && callFaults.filter((fault) => fault === "fail").length <= 6) {
            expect(first.outcome).not.toBe("unsettled");
            expect(output).toMatchObject({ notified: true });
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
