import type { Env } from "../../platform/env.js";
import { logEvent } from "../../platform/log.js";
import { snapshotKey } from "../../platform/snapshot-key.js";
import { openSnapshot, sealSnapshot } from "../../src/conversation/snapshot.js";
import type { ConversationState } from "../../src/conversation/state.js";
import { initialConversationState } from "../../src/conversation/state.js";
import type { ActorMetrics } from "./actor-metrics.js";
import type { SealedLog } from "./sealed-log.js";
import type { ConversationStore } from "./store.js";

/** A snapshot is written at least every this many events… */
export const SNAPSHOT_EVERY_EVENTS = 200;
/** …and at most this long after the state became dirty… */
export const SNAPSHOT_DELAY_MS = 30_000;
/**
 * …once this many events wait behind the last one. A shorter tail replays in well under a
 * millisecond, so a snapshot would cost more (an alarm that may wake an evicted actor, a seal,
 * a write) than it saves: most conversations are a few turns long and never need one.
 * Retention and key rotation still schedule the alarm whatever the tail.
 */
export const SNAPSHOT_MIN_EVENTS = 50;

export interface SnapshotHost {
  ctx: DurableObjectState;
  env: () => Env;
  store: () => ConversationStore;
  log: SealedLog;
  metrics: ActorMetrics;
  /** The actor's state and user right now. */
  current: () => { state: ConversationState; userId: string | null };
}

/**
 * The actor's snapshots: the sealed starting point of a cold load, written when dirty on an
 * alarm (≤ 30 s) or every 200 events, re-sealed after a key rotation, and the line behind
 * which old events may be pruned (RETENTION_DAYS).
 */
export class ConversationSnapshots {
  private snapshotSeq = 0;
  private alarmSet = false;
  /** Bumped by reset(): a snapshot sealed before an erase must not be written after it. */
  private epoch = 0;

  constructor(private readonly host: SnapshotHost) {}

  /**
   * The newest snapshot whose MAC verifies, opened; the empty state when there is none.
   * `userId` null: a conversation that never started (every write binds the user first), so
   * there is no snapshot, no alarm and nothing sealed to look for.
   */
  async restore(userId: string | null): Promise<ConversationState> {
    let base = initialConversationState();
    if (userId === null) {
      this.snapshotSeq = 0;
      this.alarmSet = false;
      return base;
    }
    const key = await snapshotKey(this.host.env());
    for (const snapshot of this.host.store().snapshots()) {
      const opened = await openSnapshot(key, userId, snapshot);
      if (opened.ok) {
        base = await this.host.log.openState(opened.state, userId);
        break;
      }
      logEvent("warn", "snapshot rejected", { seq: snapshot.seq, reason: opened.reason });
      this.host.metrics.snapshotRejected(opened.reason);
    }
    this.snapshotSeq = base.seq;
    // An alarm further off than a snapshot's delay is the voice jobs' timeout: not one for the snapshots.
    const alarm = await this.host.ctx.storage.getAlarm();
    this.alarmSet = alarm !== null && alarm <= Date.now() + SNAPSHOT_DELAY_MS;
    if (!this.alarmSet && (await this.host.log.rotationPending())) this.setAlarm();
    return base;
  }

  /** After events were appended: a snapshot now past N events, else an alarm when one is worth it and none is set. */
  dirty(): void {
    const tail = this.host.current().state.seq - this.snapshotSeq;
    if (tail >= SNAPSHOT_EVERY_EVENTS) void this.write();
    else if (!this.alarmSet && (tail >= SNAPSHOT_MIN_EVENTS || retentionDays(this.host.env()) > 0)) this.setAlarm();
  }

  async alarm(): Promise<void> {
    this.alarmSet = false;
    const { state, userId } = this.host.current();
    if (userId !== null && (await this.host.log.resealIfRotated(userId))) {
      // Snapshots were sealed under the old key too: drop them and write a fresh one.
      this.host.store().clearSnapshots();
      this.snapshotSeq = 0;
    }
    if (state.seq > this.snapshotSeq) await this.write();
    this.pruneExpired();
  }

  /** Before an erase: no snapshot in flight may land, no alarm stays behind. */
  async reset(): Promise<void> {
    this.epoch++;
    this.snapshotSeq = 0;
    this.alarmSet = false;
    await this.host.ctx.storage.deleteAlarm();
  }

  private setAlarm(): void {
    this.alarmSet = true;
    void this.host.ctx.storage.setAlarm(Date.now() + SNAPSHOT_DELAY_MS);
  }

  private async write(): Promise<void> {
    const { state, userId } = this.host.current();
    const epoch = this.epoch;
    if (userId === null || state.seq <= this.snapshotSeq) return;
    try {
      const sealedState = await this.host.log.sealState(state, userId);
      const sealed = await sealSnapshot(await snapshotKey(this.host.env()), userId, sealedState, Date.now());
      if (epoch !== this.epoch || sealed.seq <= this.snapshotSeq) return;
      this.host.store().putSnapshot(sealed);
      this.snapshotSeq = sealed.seq;
      this.host.metrics.snapshotWritten();
    } catch (error) {
      logEvent("error", "snapshot failed", { error: String(error) });
    }
  }

  /** RETENTION_DAYS: events older than that go, once the oldest kept snapshot covers them. */
  private pruneExpired(): void {
    const days = retentionDays(this.host.env());
    const covered = this.host.store().snapshots().at(-1)?.seq;
    if (!(days > 0) || covered === undefined) return;
    const pruned = this.host.store().pruneEvents(Date.now() - days * 86_400_000, covered);
    if (pruned > 0) logEvent("info", "events pruned", { count: pruned, upTo: covered });
  }
}

/** RETENTION_DAYS as a number of days; 0 when unset or not a positive number. */
function retentionDays(env: Env): number {
  const days = Number(env.RETENTION_DAYS);
  return Number.isNaN(days) ? 0 : Math.max(days, 0);
}
