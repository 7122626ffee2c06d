import { DurableObject } from "cloudflare:workers";
import type { Env } from "../../platform/env.js";
import { applyLogLevel, logEvent } from "../../platform/log.js";
import { validateBotDefinition } from "../../src/dialog/index.js";
import type { AuditEntry, BotOverview, PublishedVersion } from "../../src/protocol/admin.js";
import { AUDIT_ENTRIES_SHOWN } from "../../src/protocol/admin.js";
import { canonicalJson } from "../../src/rollout/canonical-json.js";
import { judgeCanary } from "../../src/rollout/guard.js";
import type { VersionOutcomes } from "../../src/rollout/outcomes.js";
import type { Rollout } from "../../src/rollout/rollout.js";
import { versionsOf, withoutCanary } from "../../src/rollout/rollout.js";
import { BUNDLED_BOTS } from "./bundled-bots.js";
import { RegistryStore } from "./registry-store.js";

/** A definition to publish: already validated and compiled by the caller, as canonical JSON. */
export interface PublishRequest {
  bot: string;
  version: string;
  /** canonical JSON (src/rollout/canonical-json.ts) of the validated definition */
  body: string;
  by: string;
}

export type PublishResult =
  | { kind: "created"; version: PublishedVersion; rollout: Rollout }
  | { kind: "unchanged"; version: PublishedVersion; rollout: Rollout | null }
  | { kind: "conflict"; version: PublishedVersion };

export type RolloutResult =
  | { ok: true; rollout: Rollout; changed: boolean }
  | { ok: false; reason: "unknown_bot" }
  | { ok: false; reason: "unknown_version"; version: string };

type RolloutChange = Pick<AuditEntry, "by" | "action" | "reason">;

/**
 * Bot definitions (immutable versions), their rollout, outcome counters and the audit
 * trail. One global object, kept off the hot path: isolates cache what it answers for a
 * short TTL (see BotCatalog) and send counters in batches (see OutcomeCounters), so its
 * load grows with isolates, never with users or turns.
 */
export class BotRegistry extends DurableObject<Env> {
  private readonly store: RegistryStore;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    applyLogLevel(env.LOG_LEVEL);
    this.store = new RegistryStore(ctx.storage.sql);
    this.seedBundledBots();
  }

  getRollout(bot: string): Rollout | null {
    return this.store.rollout(bot);
  }

  /** The definition's JSON text: callers parse and compile it once per isolate. */
  getDefinition(bot: string, version: string): string | null {
    return this.store.version(bot, version)?.body ?? null;
  }

  /**
   * Adds an immutable version. The same version again is fine when its definition is the
   * same (a retried publish), a conflict otherwise. A bot's first version becomes its stable.
   */
  publish({ bot, version, body, by }: PublishRequest): PublishResult {
    const existing = this.store.version(bot, version);
    if (existing) {
      const { body: stored, ...published } = existing;
      const same = stored === body || canonicalJson(JSON.parse(stored)) === body;
      return same ? { kind: "unchanged", version: published, rollout: this.store.rollout(bot) } : { kind: "conflict", version: published };
    }
    const published: PublishedVersion = { bot, version, publishedAt: Date.now(), publishedBy: by };
    return this.ctx.storage.transactionSync((): PublishResult => {
      this.store.insertVersion(published, body);
      const rollout = this.store.rollout(bot) ?? this.changeRollout(bot, { stable: version }, { by, action: "initial" });
      return { kind: "created", version: published, rollout };
    });
  }

  /** Versions with their counters, the rollout and the latest audit entries; null for an unknown bot. */
  describe(bot: string): BotOverview | null {
    const versions = this.store.versions(bot);
    if (versions.length === 0) return null;
    return { bot, versions, rollout: this.store.rollout(bot), audit: this.store.audit(bot, AUDIT_ENTRIES_SHOWN) };
  }

  setRollout(bot: string, rollout: Rollout, by: string): RolloutResult {
    if (!this.store.hasBot(bot)) return { ok: false, reason: "unknown_bot" };
    const missing = versionsOf(rollout).find((version) => !this.store.hasVersion(bot, version));
    if (missing !== undefined) return { ok: false, reason: "unknown_version", version: missing };
    const current = this.store.rollout(bot);
    if (current && canonicalJson(current) === canonicalJson(rollout)) return { ok: true, rollout: current, changed: false };
    this.ctx.storage.transactionSync(() => this.changeRollout(bot, rollout, { by, action: "set" }));
    return { ok: true, rollout, changed: true };
  }

  /** Everybody back on stable. Without a canary there is nothing to roll back: unchanged, no audit entry. */
  rollback(bot: string, by: string, reason?: string): RolloutResult {
    const current = this.store.rollout(bot);
    if (!current) return { ok: false, reason: "unknown_bot" };
    if (!current.canary) return { ok: true, rollout: current, changed: false };
    const rollout = withoutCanary(current);
    this.ctx.storage.transactionSync(() => this.changeRollout(bot, rollout, { by, action: "rollback", ...(reason ? { reason } : {}) }));
    return { ok: true, rollout, changed: true };
  }

  /**
   * Counters from the isolates' batchers. Loss-tolerant by design (a lost batch skews a
   * ratio a little, never a conversation); each batch may trip a canary's guard.
   */
  recordOutcomes(batch: readonly VersionOutcomes[]): void {
    const bots = new Set<string>();
    this.ctx.storage.transactionSync(() => {
      for (const outcomes of batch) {
        this.store.addCounters(outcomes);
        this.store.addToGuardWindow(outcomes);
        bots.add(outcomes.bot);
      }
    });
    for (const bot of bots) this.checkGuard(bot);
  }

  /** Rolls the canary back by itself when its guard is breached, and writes down why. */
  private checkGuard(bot: string): void {
    const canary = this.store.rollout(bot)?.canary;
    const window = this.store.guardWindow(bot);
    if (!canary?.guard || !window || window.version !== canary.version) return;
    const judged = judgeCanary(canary.guard, window.counts);
    if (judged.verdict !== "breached") return;
    const reason = `canary ${canary.version}: ${judged.reason}`;
    this.rollback(bot, "guard", reason);
    logEvent("warn", "canary rolled back by its guard", { bot, reason });
  }

  /** Writes a rollout with its audit entry; a new canary starts a new guard window. */
  private changeRollout(bot: string, to: Rollout, change: RolloutChange): Rollout {
    const at = Date.now();
    const from = this.store.rollout(bot);
    this.store.putRollout(bot, to, at);
    this.store.appendAudit(bot, { at, from, to, ...change });
    if (canonicalJson(from?.canary ?? null) !== canonicalJson(to.canary ?? null)) {
      this.store.resetGuardWindow(bot, to.canary?.version ?? null);
    }
    return to;
  }

  /** Publishes every bundled example bot that is not there yet, and makes it stable if its bot has no rollout. */
  private seedBundledBots(): void {
    for (const json of BUNDLED_BOTS) {
      const checked = validateBotDefinition(json);
      if (!checked.ok) throw new Error(`bundled bot is invalid at ${checked.path}: ${checked.message}`);
      const { id, version } = checked.bot;
      if (this.store.hasVersion(id, version)) continue;
      this.publish({ bot: id, version, body: canonicalJson(checked.bot), by: "bundle" });
    }
  }
}
