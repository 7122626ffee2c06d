import { DurableObject } from "cloudflare:workers";
import type { Env } from "../../platform/env.js";
import { applyLogLevel, logEvent } from "../../platform/log.js";
import { grantBatch } from "../../src/campaign/refill.js";
import type { CampaignDefinition } from "../../src/campaign/schema.js";
import { shardName } from "../../src/campaign/shard-of.js";
import type { AdminStatus, CampaignStatus } from "../../src/campaign/status.js";
import { campaignStatus, canChangeStatus } from "../../src/campaign/status.js";
import type { Stock } from "../../src/campaign/stock.js";
import { initialSplit, subtractStock } from "../../src/campaign/stock.js";
import { canonicalJson } from "../../src/rollout/canonical-json.js";
import { bundledCampaigns } from "./bundled-campaigns.js";
import type { CoordinatorState } from "./coordinator-store.js";
import { CoordinatorStore } from "./coordinator-store.js";

/** A campaign as its coordinator sees it. */
export interface CampaignView {
  definition: CampaignDefinition;
  adminStatus: AdminStatus;
  /** the admin's status with the clock's say, now */
  status: CampaignStatus;
  statusVersion: number;
  /** budget and prize counts not yet given to any shard */
  remainder: Stock;
  /** the sum of grants per shard, indexed by shard */
  grantedByShard: Stock[];
  createdAt: number;
}

export type CreateResult = { kind: "created" | "unchanged"; campaign: CampaignView } | { kind: "conflict"; campaign: CampaignView };

export type StatusResult = { ok: true; campaign: CampaignView; changed: boolean } | { ok: false; reason: "unknown_campaign" | "ended" };

/** A grant as the shard gets it: what it was given, and what the coordinator holds after. */
export interface Grant {
  grantId: string;
  granted: Stock;
  remainder: Stock;
}

/**
 * One per campaign, named by the campaign id: the definition, the admin status and the
 * undistributed remainder of the budget and prize counts, given to shards in batches ("pre-split
 * half, refill in batches", docs/campaigns.md). Draws never reach it, only shards that ran dry:
 * its load grows with refills, not with users.
 */
export class CampaignCoordinator extends DurableObject<Env> {
  private readonly store: CoordinatorStore;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    applyLogLevel(env.LOG_LEVEL);
    this.store = new CoordinatorStore(ctx.storage.sql);
  }

  /** Creates the campaign; the same definition again is `unchanged`, another one a `conflict`. */
  create(definition: CampaignDefinition): CreateResult {
    const canonical = canonicalJson(definition);
    const existing = this.stateFor(definition.id);
    if (existing) return { kind: existing.canonical === canonical ? "unchanged" : "conflict", campaign: this.viewOf(existing) };
    if (this.store.state()) throw new Error(`this coordinator holds another campaign than "${definition.id}": coordinators are named by campaign id`);
    const state = this.initialState(definition, canonical);
    this.store.putState(state);
    logEvent("info", "campaign created", { campaign: definition.id, shards: definition.shards, budget: definition.budget });
    return { kind: "created", campaign: this.viewOf(state) };
  }

  /** Null for an id it does not hold and that is not bundled (a bundled one is created here). */
  get(campaignId: string): CampaignView | null {
    const state = this.stateFor(campaignId);
    return state ? this.viewOf(state) : null;
  }

  /**
   * Sets the admin status and pushes it to every shard (a shard applies only a newer version,
   * so a push repeated or overtaken changes nothing). The same status again is pushed again: a
   * retry after a failed push reaches the shards it missed. Nothing leaves `ended`.
   */
  async setStatus(campaignId: string, status: AdminStatus): Promise<StatusResult> {
    const state = this.stateFor(campaignId);
    if (!state) return { ok: false, reason: "unknown_campaign" };
    if (!canChangeStatus(state.adminStatus, status)) return { ok: false, reason: "ended" };
    const changed = state.adminStatus !== status;
    const next: CoordinatorState = changed ? { ...state, adminStatus: status, statusVersion: state.statusVersion + 1 } : state;
    if (changed) this.store.putState(next);
    const { id, shards } = next.definition;
    await Promise.all(
      Array.from({ length: shards }, (_, i) => this.env.CAMPAIGN_SHARD.getByName(shardName(id, i)).applyStatus(id, next.adminStatus, next.statusVersion)),
    );
    return { ok: true, campaign: this.viewOf(next), changed };
  }

  /**
   * A batch for a shard that ran short (src/campaign/refill.ts). Deduplicated by `grantId`: a
   * retried ask gets the grant it had, so a lost answer is never given twice.
   */
  grant(campaignId: string, shard: number, grantId: string, need: Stock): Grant | null {
    const state = this.stateFor(campaignId);
    if (!state) return null;
    const known = this.store.grant(grantId);
    if (known) return { grantId, granted: known, remainder: state.remainder };
    const granted = grantBatch(state.definition, state.remainder, need);
    const remainder = subtractStock(state.remainder, granted);
    this.ctx.storage.transactionSync(() => {
      this.store.putGrant(grantId, shard, granted);
      this.store.putState({ ...state, remainder });
    });
    return { grantId, granted, remainder };
  }

  private stateFor(campaignId: string): CoordinatorState | null {
    const state = this.store.state();
    if (state) return state.definition.id === campaignId ? state : null;
    const bundled = bundledCampaigns().get(campaignId);
    if (!bundled) return null;
    const seeded = this.initialState(bundled, canonicalJson(bundled));
    this.store.putState(seeded);
    logEvent("info", "bundled campaign created", { campaign: campaignId });
    return seeded;
  }

  private initialState(definition: CampaignDefinition, canonical: string): CoordinatorState {
    return { definition, canonical, adminStatus: "active", statusVersion: 1, remainder: initialSplit(definition).coordinator, createdAt: Date.now() };
  }

  private viewOf(state: CoordinatorState): CampaignView {
    const { definition, adminStatus, statusVersion, remainder, createdAt } = state;
    const status = campaignStatus(definition, adminStatus, Date.now());
    return { definition, adminStatus, status, statusVersion, remainder, grantedByShard: this.store.grantedByShard(definition.shards), createdAt };
  }
}
