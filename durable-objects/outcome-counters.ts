import type { StoredEvent } from "../src/conversation/events.js";
import { addOutcomes, noOutcomes, outcomeOfTurn } from "../src/rollout/outcomes.js";
import type { OutcomeCounts, VersionOutcomes } from "../src/rollout/outcomes.js";
import { logEvent } from "./log.js";
import type { BotRegistry } from "./registry.js";

/** An isolate sends its counters at most this often… */
export const FLUSH_INTERVAL_MS = 1000;
/** …unless this many turns are waiting: a busy isolate does not hold a big batch for long. */
export const FLUSH_AT_TURNS = 1000;

type Sleep = (ms: number) => Promise<void>;
const sleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Per-version outcome counters of one isolate, sent to the registry in batches. A turn
 * never waits for the registry: `record` only adds to memory and, at most once per
 * interval, starts a flush the caller hands to `ctx.waitUntil`. A failed flush is dropped
 * (counters are statistics; a lost second skews a ratio slightly, never a conversation),
 * so registry load is isolates × 1/interval, whatever the number of users or turns.
 */
export class OutcomeCounters {
  private batch = new Map<string, VersionOutcomes>();
  private turns = 0;
  private lastFlushAt = Number.NEGATIVE_INFINITY;
  /** When the scheduled flush is due; null when none is scheduled. */
  private dueAt: number | null = null;

  constructor(
    private readonly registry: () => DurableObjectStub<BotRegistry>,
    private readonly intervalMs = FLUSH_INTERVAL_MS,
    private readonly now: () => number = Date.now,
    private readonly wait: Sleep = sleep,
  ) {}

  /** Counts one committed turn of `bot@version`; the promise settles when its flush (if any) is done. */
  record(bot: string, version: string, events: readonly StoredEvent[]): Promise<void> {
    this.add(bot, version, outcomeOfTurn(events));
    if (this.turns >= FLUSH_AT_TURNS) return this.flush();
    // A timer can die with the context that set it (an evicted actor): an overdue one is replaced.
    const now = this.now();
    if (this.dueAt !== null && now < this.dueAt + this.intervalMs) return Promise.resolve();
    const delay = Math.max(0, this.lastFlushAt + this.intervalMs - now);
    const dueAt = now + delay;
    this.dueAt = dueAt;
    return this.wait(delay).then(() => {
      if (this.dueAt === dueAt) this.dueAt = null;
      return this.flush();
    });
  }

  /** Sends what has accumulated; never throws. */
  async flush(): Promise<void> {
    if (this.batch.size === 0) return;
    const batch = [...this.batch.values()];
    this.batch = new Map();
    this.turns = 0;
    this.lastFlushAt = this.now();
    try {
      await this.registry().recordOutcomes(batch);
    } catch (error) {
      logEvent("warn", "outcome counters dropped", { versions: batch.length, error: String(error) });
    }
  }

  private add(bot: string, version: string, outcome: OutcomeCounts): void {
    const key = JSON.stringify([bot, version]);
    let counts = this.batch.get(key);
    if (!counts) {
      counts = { bot, version, ...noOutcomes() };
      this.batch.set(key, counts);
    }
    addOutcomes(counts, outcome);
    this.turns += outcome.turns;
  }
}

let shared: OutcomeCounters | undefined;

/** One batcher per isolate, shared by every actor in it. */
export function sharedOutcomeCounters(namespace: DurableObjectNamespace<BotRegistry>): OutcomeCounters {
  shared ??= new OutcomeCounters(() => namespace.getByName("global"));
  return shared;
}
