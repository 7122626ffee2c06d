import { DurableObject } from "cloudflare:workers";
import type { CampaignMetrics } from "../../platform/campaign-metrics.js";
import { campaignMetrics } from "../../platform/campaign-metrics.js";
import type { Env } from "../../platform/env.js";
import { applyLogLevel, logEvent } from "../../platform/log.js";
import type { DrawView } from "../../src/campaign/draw-decision.js";
import { decideDraw, drawIdOf } from "../../src/campaign/draw-decision.js";
import type { ShardLedger } from "../../src/campaign/ledger.js";
import type { CampaignDefinition, PrizeDefinition } from "../../src/campaign/schema.js";
import { shardOf } from "../../src/campaign/shard-of.js";
import type { AdminStatus } from "../../src/campaign/status.js";
import type { Stock } from "../../src/campaign/stock.js";
import { EMPTY_STOCK, addStock, costOf, initialSplit, subtractStock } from "../../src/campaign/stock.js";
import type { DrawRequest, DrawResult, PayoutRecord } from "../../src/campaign/types.js";
import { startPayout } from "./payout-starter.js";
import type { PushedStatus, ShardState } from "./shard-store.js";
import { ShardStore } from "./shard-store.js";

/** How long before the alarm retries a saga start or a grant that failed (or never ran: a restart). */
const RETRY_MS = 10_000;
/** Saga starts run beside the draws, this many at a time: a draw never waits for one. */
const START_CONCURRENCY = 16;

/** A uniform number in [0, 1) from the platform's CSPRNG. */
function randomUnit(): number {
  return (crypto.getRandomValues(new Uint32Array(1))[0] ?? 0) / 2 ** 32;
}

/**
 * One slice of a campaign's pool, named `${campaignId}:${i}`: every user whose key hashes to i
 * draws here, so the per-user limit and exactly-once draws are local. A draw is decided and
 * written in one synchronous step (src/campaign/draw-decision.ts); the only await before it is a
 * refill from the coordinator, after which the draw is decided again on fresh state.
 */
export class CampaignShard extends DurableObject<Env> {
  private readonly store: ShardStore;
  private readonly metrics: CampaignMetrics;
  private state: ShardState | null;
  private pushed: PushedStatus | null;
  private starting: Promise<ShardState | null> | null = null;
  private refilling: Promise<void> | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    applyLogLevel(env.LOG_LEVEL);
    this.store = new ShardStore(ctx.storage.sql);
    this.metrics = campaignMetrics(env);
    this.state = this.store.state();
    this.pushed = this.store.status();
  }

  /** Exactly once per (user, requestId); a cash win is reserved here and its payout saga started. */
  async draw(request: DrawRequest): Promise<DrawResult> {
    const result = await this.answerDraw(request);
    this.metrics.draw(request.campaignId, result);
    return result;
  }

  private async answerDraw(request: DrawRequest): Promise<DrawResult> {
    const state = await this.ready(request.campaignId, (definition) => shardOf(request.userKey, definition.shards));
    if (!state) return { outcome: "closed", status: "unknown" };
    let refilled = false;
    for (;;) {
      const decision = decideDraw(this.viewOf(request, refilled));
      if (decision.kind === "answer") return decision.result;
      if (decision.kind === "draw") return this.commitDraw(request, decision.prize);
      await this.refill(decision.need);
      refilled = true;
    }
  }

  /** The coordinator's push: only a newer version changes anything. */
  applyStatus(campaignId: string, adminStatus: AdminStatus, version: number): void {
    if (this.state && this.state.definition.id !== campaignId) throw new Error(`this shard belongs to "${this.state.definition.id}"`);
    if (this.pushed && this.pushed.version >= version) return;
    this.pushed = { adminStatus, version };
    this.store.putStatus(this.pushed);
  }

  payout(drawId: string): PayoutRecord | null {
    return this.store.payout(drawId);
  }

  /** Every cash win of this shard, whatever its state: reconciliation asks the provider about each. */
  payouts(): PayoutRecord[] {
    return this.store.payouts();
  }

  /** reserved → paid. Paid again: the same record. A released payout is never paid. */
  settle(drawId: string, providerRef: string): PayoutRecord {
    const record = this.existingPayout(drawId);
    if (record.state === "paid") return record;
    if (record.state === "released") throw new Error(`payout ${drawId} was released (${record.reason ?? "no reason"}); it cannot be settled`);
    const paid: PayoutRecord = { ...record, state: "paid", providerRef, settledAt: Date.now() };
    this.store.putPayout(paid);
    this.metrics.settled(paid);
    return paid;
  }

  /** reserved → released, its amount and prize back into this shard's stock. Released again: the same record. */
  release(drawId: string, reason: string): PayoutRecord {
    const record = this.existingPayout(drawId);
    if (record.state === "released") return record;
    if (record.state === "paid") throw new Error(`payout ${drawId} was paid; it cannot be released`);
    const state = this.requireState();
    const released: PayoutRecord = { ...record, state: "released", reason, settledAt: Date.now() };
    this.ctx.storage.transactionSync(() => {
      this.store.putPayout(released);
      this.putState({ ...state, stock: addStock(state.stock, { budget: record.amount, prizes: { [record.prizeId]: 1 } }) });
    });
    this.metrics.released(released);
    return released;
  }

  /** This shard's books (starting it from the coordinator if it never drew). Null for an unknown campaign. */
  async ledger(campaignId: string, shard: number): Promise<ShardLedger | null> {
    const state = await this.ready(campaignId, () => shard);
    return state ? this.store.ledger(state) : null;
  }

  /** Starts the sagas of new reservations, and retries what failed: saga starts (or ones a restart cut off) and unanswered grants. */
  override async alarm(): Promise<void> {
    let failed = 0;
    const unstarted = this.store.unstartedPayouts();
    for (let i = 0; i < unstarted.length; i += START_CONCURRENCY) {
      const started = await Promise.all(unstarted.slice(i, i + START_CONCURRENCY).map((record) => this.startSaga(record)));
      failed += started.filter((ok) => !ok).length;
    }
    if (this.state) for (const pending of this.store.pendingGrants()) if (!(await this.askGrant(pending.grantId, pending.need))) failed++;
    if (failed > 0) await this.ctx.storage.setAlarm(Date.now() + RETRY_MS);
  }

  /** The shard's state, made on first use from the coordinator's definition: the pre-split share. */
  private ready(campaignId: string, indexOf: (definition: CampaignDefinition) => number): Promise<ShardState | null> {
    if (this.state) {
      if (this.state.definition.id !== campaignId) throw new Error(`this shard belongs to "${this.state.definition.id}"`);
      return Promise.resolve(this.state);
    }
    this.starting ??= this.start(campaignId, indexOf).finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  private async start(campaignId: string, indexOf: (definition: CampaignDefinition) => number): Promise<ShardState | null> {
    const view = await this.env.CAMPAIGN_COORDINATOR.getByName(campaignId).get(campaignId);
    if (!view || this.state) return this.state;
    const { definition } = view;
    const state: ShardState = {
      definition,
      shard: indexOf(definition),
      stock: initialSplit(definition).shard,
      coordinatorLeft: view.remainder,
      granted: EMPTY_STOCK,
    };
    this.ctx.storage.transactionSync(() => {
      this.putState(state);
      this.applyStatus(campaignId, view.adminStatus, view.statusVersion);
    });
    return state;
  }

  private viewOf(request: DrawRequest, refilled: boolean): DrawView {
    const state = this.requireState();
    return {
      definition: state.definition,
      adminStatus: this.pushed?.adminStatus ?? "active",
      now: Date.now(),
      prior: this.store.prior(request.userKey, request.requestId),
      userDraws: this.store.userDraws(request.userKey),
      stock: state.stock,
      coordinatorLeft: state.coordinatorLeft,
      refilled,
      random: randomUnit(),
    };
  }

  /** Records the draw (and a cash win's reservation) in one transaction, then starts the payout saga. */
  private async commitDraw(request: DrawRequest, prize: PrizeDefinition | null): Promise<DrawResult> {
    const state = this.requireState();
    const { definition } = state;
    const drawNo = this.store.userDraws(request.userKey) + 1;
    const drawId = drawIdOf(definition.id, request.userKey, drawNo);
    const result: DrawResult = prize
      ? {
          outcome: "won",
          drawId,
          drawNo,
          replay: false,
          prize: { id: prize.id, kind: prize.kind, amount: prize.amount, currency: definition.currency, label: prize.label[request.language] },
        }
      : { outcome: "lost", drawId, drawNo, replay: false };
    const record: PayoutRecord | null =
      prize?.kind === "cash"
        ? {
            drawId,
            campaignId: definition.id,
            shard: state.shard,
            userKey: request.userKey,
            conversationId: request.conversationId,
            language: request.language,
            prizeId: prize.id,
            amount: prize.amount,
            currency: definition.currency,
            state: "reserved",
            reservedAt: Date.now(),
          }
        : null;
    this.ctx.storage.transactionSync(() => {
      this.store.putDraw(request.userKey, request.requestId, drawNo, prize?.id ?? null, result);
      if (prize) this.putState({ ...state, stock: subtractStock(state.stock, costOf(prize)) });
      if (record) this.store.putPayout(record);
    });
    // The reservation is written: its saga starts from the alarm, at once, beside the next draws
    // (a flash crowd's draw does not wait for a Workflow to be created), and again after a
    // restart or a failure until it has started.
    if (record) await this.ctx.storage.setAlarm(Date.now());
    return result;
  }

  private async startSaga(record: PayoutRecord): Promise<boolean> {
    try {
      await startPayout(this.env, { drawId: record.drawId, campaignId: record.campaignId, shard: record.shard });
      this.store.markSagaStarted(record.drawId);
      return true;
    } catch (error) {
      logEvent("warn", "payout saga did not start; the alarm retries", { campaign: record.campaignId, shard: record.shard, error: String(error) });
      return false;
    }
  }

  /** One ask at a time: a draw that finds one in flight waits for it instead of asking again. */
  private refill(need: Stock): Promise<void> {
    this.refilling ??= this.askCoordinator(need).finally(() => {
      this.refilling = null;
    });
    return this.refilling;
  }

  /** An unanswered grant is asked again first, instead of a new one: one grant at most is ever pending. */
  private async askCoordinator(need: Stock): Promise<void> {
    const pending = this.store.pendingGrants()[0];
    if (pending) {
      await this.askGrant(pending.grantId, pending.need);
      return;
    }
    const grantId = crypto.randomUUID();
    this.store.putPendingGrant(grantId, need);
    await this.askGrant(grantId, need);
  }

  /** Asks under an id already stored: a lost answer is asked again under the same id and granted once. */
  private async askGrant(grantId: string, need: Stock): Promise<boolean> {
    const { definition, shard } = this.requireState();
    try {
      const grant = await this.env.CAMPAIGN_COORDINATOR.getByName(definition.id).grant(definition.id, shard, grantId, need);
      this.ctx.storage.transactionSync(() => {
        if (!grant) return this.store.dropGrant(grantId);
        const current = this.requireState();
        const applied = this.store.answerGrant(grantId, grant.granted);
        const received = applied ? grant.granted : EMPTY_STOCK;
        this.putState({ ...current, stock: addStock(current.stock, received), granted: addStock(current.granted, received), coordinatorLeft: grant.remainder });
      });
      return true;
    } catch (error) {
      logEvent("warn", "campaign grant failed; the alarm retries", { campaign: definition.id, shard, error: String(error) });
      await this.ctx.storage.setAlarm(Date.now() + RETRY_MS);
      return false;
    }
  }

  private existingPayout(drawId: string): PayoutRecord {
    const record = this.store.payout(drawId);
    if (!record) throw new Error(`no payout ${drawId} on this shard`);
    return record;
  }

  private requireState(): ShardState {
    if (!this.state) throw new Error("the shard has not started");
    return this.state;
  }

  private putState(state: ShardState): void {
    this.store.putState(state);
    this.state = state;
  }
}
