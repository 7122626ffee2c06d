import type { Sleep } from "../src/metrics/interval-batcher.js";
import { IntervalBatcher } from "../src/metrics/interval-batcher.js";
import type { OutcomeCounts, VersionOutcomes } from "../src/rollout/outcomes.js";
import { addOutcomes, noOutcomes } from "../src/rollout/outcomes.js";
import type { Env } from "./env.js";
import { logEvent } from "./log.js";

/** An isolate sends its counters at most this often… */
export const FLUSH_INTERVAL_MS = 1000;
/** …unless this many turns are waiting: a busy isolate does not hold a big batch for long. */
export const FLUSH_AT_TURNS = 1000;

interface OutcomeBatch {
  versions: Map<string, VersionOutcomes>;
  turns: number;
}

/**
 * Per-version outcome counters of one isolate, sent to the registry in batches (the
 * scheduling is src/metrics/interval-batcher.ts, shared with the metrics shards). A turn
 * never waits for the registry; a failed flush is dropped (counters are statistics; a lost
 * second skews a ratio slightly, never a conversation), so registry load is
 * isolates × 1/interval, whatever the number of users or turns.
 */
export class OutcomeCounters {
  private readonly batcher: IntervalBatcher<OutcomeBatch>;

  constructor(registry: () => ReturnType<Env["REGISTRY"]["get"]>, intervalMs = FLUSH_INTERVAL_MS, now: () => number = Date.now, wait?: Sleep) {
    this.batcher = new IntervalBatcher<OutcomeBatch>({
      create: () => ({ versions: new Map(), turns: 0 }),
      size: (batch) => batch.turns,
      send: (batch) => registry().recordOutcomes([...batch.versions.values()]),
      onDropped: (batch, error) => logEvent("warn", "outcome counters dropped", { versions: batch.versions.size, error: String(error) }),
      intervalMs,
      maxSize: FLUSH_AT_TURNS,
      now,
      ...(wait ? { wait } : {}),
    });
  }

  /**
   * Counts one turn of `bot@version` (`outcomeOfTurn` of its events, or `failedTurn()`); the
   * promise settles when its flush (if any) is done.
   */
  record(bot: string, version: string, outcome: OutcomeCounts): Promise<void> {
    return this.batcher.add((batch) => {
      const key = JSON.stringify([bot, version]);
      let counts = batch.versions.get(key);
      if (!counts) {
        counts = { bot, version, ...noOutcomes() };
        batch.versions.set(key, counts);
      }
      addOutcomes(counts, outcome);
      batch.turns += outcome.turns;
    });
  }

  /** Sends what has accumulated; never throws. */
  flush(): Promise<void> {
    return this.batcher.flush();
  }
}

let shared: OutcomeCounters | undefined;

/** One batcher per isolate, shared by every actor in it. */
export function sharedOutcomeCounters(namespace: Env["REGISTRY"]): OutcomeCounters {
  shared ??= new OutcomeCounters(() => namespace.getByName("global"));
  return shared;
}
