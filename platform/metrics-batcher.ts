import { analyticsPointOf } from "../src/metrics/analytics-points.js";
import type { DeltaPayload, MetricFact } from "../src/metrics/facts.js";
import { MetricsDelta } from "../src/metrics/facts.js";
import { IntervalBatcher } from "../src/metrics/interval-batcher.js";
import { shardCountOf, shardName, shardOfJob } from "../src/metrics/shards.js";
import type { Env } from "./env.js";
import { logEvent } from "./log.js";

/** An isolate sends its counts at most this often by default (METRICS_FLUSH_MS)… */
export const METRICS_FLUSH_MS = 5000;
/** …unless this many facts are waiting. */
export const METRICS_FLUSH_AT_FACTS = 500;

export type MetricsEnv = Pick<Env, "METRICS" | "METRICS_SHARDS" | "METRICS_FLUSH_MS" | "ANALYTICS">;

/** Whatever keeps a context alive for a promise: a request's or an actor's `ctx`. */
export interface WaitUntil {
  waitUntil(promise: Promise<unknown>): void;
}

/**
 * The isolate's metrics: facts go into one in-memory delta shared by the gateway, the queue
 * consumers and every actor of the isolate, and the delta goes to the aggregator shards in
 * one batch per interval. Counts go to this isolate's home shard (picked at random once, so
 * isolates spread over the shards); a voice job's stage moves go to the job's own shard, so
 * they meet whichever isolate reports them.
 */
export class MetricsBatcher {
  private readonly batcher: IntervalBatcher<MetricsDelta>;
  private readonly shards: number;
  private readonly home: number;

  constructor(private readonly env: MetricsEnv) {
    this.shards = shardCountOf(env.METRICS_SHARDS);
    this.home = Math.floor(Math.random() * this.shards);
    this.batcher = new IntervalBatcher<MetricsDelta>({
      create: () => new MetricsDelta(),
      size: (delta) => delta.facts,
      send: (delta) => this.send(delta),
      onDropped: (delta, error) => logEvent("warn", "metrics batch dropped", { facts: delta.facts, error: String(error) }),
      intervalMs: Number(env.METRICS_FLUSH_MS) > 0 ? Number(env.METRICS_FLUSH_MS) : METRICS_FLUSH_MS,
      maxSize: METRICS_FLUSH_AT_FACTS,
    });
  }

  /** Counts a fact in memory; the promise is the flush this call scheduled, if any (for waitUntil). */
  record(fact: MetricFact): Promise<void> {
    const point = this.env.ANALYTICS ? analyticsPointOf(fact) : null;
    if (point) this.env.ANALYTICS?.writeDataPoint(point);
    return this.batcher.add((delta) => delta.record(fact));
  }

  /** Counts a fact and sends the isolate's counts now, with no timer (see IntervalBatcher.addAndSend). */
  recordAndSend(fact: MetricFact): Promise<void> {
    const point = this.env.ANALYTICS ? analyticsPointOf(fact) : null;
    if (point) this.env.ANALYTICS?.writeDataPoint(point);
    return this.batcher.addAndSend((delta) => delta.record(fact));
  }

  /** Sends what this isolate has counted, now (the metrics routes do, so they show their own isolate's latest). */
  flush(): Promise<void> {
    return this.batcher.flush();
  }

  private async send(delta: MetricsDelta): Promise<void> {
    const at = Date.now();
    const payloads = new Map<number, DeltaPayload>();
    const payloadOf = (shard: number) => {
      let payload = payloads.get(shard);
      if (!payload) payloads.set(shard, (payload = { at, series: [], moves: [] }));
      return payload;
    };
    if (delta.metrics.size > 0) payloadOf(this.home).series = delta.metrics.series();
    for (const move of delta.moves) payloadOf(shardOfJob(move.jobId, this.shards)).moves.push(move);
    const sent = await Promise.allSettled([...payloads].map(([shard, payload]) => this.env.METRICS.getByName(shardName(shard)).ingest(payload)));
    const failed = sent.filter((result) => result.status === "rejected");
    if (failed.length > 0) throw new Error(`${failed.length} of ${sent.length} shards refused the batch: ${String(failed[0]?.reason)}`);
  }
}

let shared: MetricsBatcher | undefined;

/** One batcher per isolate. */
export function sharedMetrics(env: MetricsEnv): MetricsBatcher {
  shared ??= new MetricsBatcher(env);
  return shared;
}

/** Counts a fact in a request: the flush it may schedule is handed to `ctx.waitUntil`, nothing waits for it. */
export function recordMetric(env: MetricsEnv, ctx: WaitUntil, fact: MetricFact): void {
  ctx.waitUntil(sharedMetrics(env).record(fact));
}

/**
 * Counts a fact outside a request: in an actor, whose `ctx.waitUntil` does nothing (a Durable
 * Object's lifetime is its own, not a request's), and in a queue consumer, whose facts go out
 * when its batch ends (workers/index.ts). The batcher's timer sends them: an actor stays in
 * memory well past the flush interval after its last event, and a timer that died with an
 * isolate is replaced by the next fact (interval-batcher.ts).
 */
export function countMetric(env: MetricsEnv, fact: MetricFact): void {
  void sharedMetrics(env).record(fact);
}

/**
 * Counts a fact and sends at once, setting no timer: for objects that hibernate (the handoff
 * queues, with their agents' hibernatable sockets), whose rare events are worth one send each.
 */
export function countMetricNow(env: MetricsEnv, fact: MetricFact): Promise<void> {
  return sharedMetrics(env).recordAndSend(fact);
}
