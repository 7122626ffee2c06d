import { DurableObject } from "cloudflare:workers";
import type { Env } from "../../platform/env.js";
import { applyLogLevel } from "../../platform/log.js";
import type { DeltaPayload } from "../../src/metrics/facts.js";
import type { Series } from "../../src/metrics/series.js";
import { MetricSet, seriesKey } from "../../src/metrics/series.js";
import type { TimelineBucket, TimelineRange } from "../../src/metrics/timeline.js";
import { MINUTE_MS, TIMELINE_RETENTION_MS, minuteOf, rollUp } from "../../src/metrics/timeline.js";
import type { StagePosition, StageSummary, VoiceQueueStage } from "../../src/metrics/voice-stages.js";
import { VOICE_QUEUE_STAGES, applyMove, emptySummaries } from "../../src/metrics/voice-stages.js";

/**
 * A voice job whose stage no move has touched for this long is taken as lost to the metrics
 * (an erased conversation, a dropped flush) and no longer counted in backlog or lag. Well
 * above the actor's own staleness limit, so a stuck pipeline still shows for hours.
 */
export const STAGE_EXPIRY_MS = 6 * 60 * 60_000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS totals (key TEXT PRIMARY KEY, series TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS minutes (minute INTEGER NOT NULL, key TEXT NOT NULL, series TEXT NOT NULL, PRIMARY KEY (minute, key));
CREATE TABLE IF NOT EXISTS voice_stages (job_id TEXT PRIMARY KEY, stage TEXT, since INTEGER NOT NULL, at INTEGER NOT NULL);
`;

/** What one shard holds, as /metrics and /v1/admin/stats read it. */
export interface ShardReading {
  totals: Series[];
  stages: StageSummary[];
  timeline: TimelineBucket[];
}

/**
 * One of METRICS_SHARDS aggregators. Isolates send it batches of counts (at most one per
 * isolate every few seconds, never one per turn); it adds them to all-time totals (for
 * /metrics) and to per-minute rows kept for a day (for /v1/admin/stats), and tracks which
 * voice jobs wait on which queue. Every write touches only the series in the batch.
 */
export class MetricsAggregator extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private prunedAt = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    applyLogLevel(env.LOG_LEVEL);
    this.sql = ctx.storage.sql;
    this.sql.exec(SCHEMA);
  }

  ingest(payload: DeltaPayload): void {
    const series = MetricSet.from(payload.series).series();
    const minute = minuteOf(payload.at);
    this.ctx.storage.transactionSync(() => {
      for (const item of series) {
        const key = seriesKey(item.name, item.labels);
        this.add("SELECT series FROM totals WHERE key = ?", "INSERT OR REPLACE INTO totals (key, series) VALUES (?, ?)", [key], item);
        this.add(
          "SELECT series FROM minutes WHERE minute = ? AND key = ?",
          "INSERT OR REPLACE INTO minutes (minute, key, series) VALUES (?, ?, ?)",
          [minute, key],
          item,
        );
      }
      for (const move of payload.moves) this.moveJob(move.jobId, (current) => applyMove(current, move));
    });
    this.pruneIfDue(Date.now());
  }

  read(range?: TimelineRange): ShardReading {
    const totals = this.sql.exec<{ series: string }>("SELECT series FROM totals").toArray();
    const minutes = range
      ? this.sql
          .exec<{ minute: number; series: string }>("SELECT minute, series FROM minutes WHERE minute >= ? AND minute < ? ORDER BY minute", range.from, range.to)
          .toArray()
      : [];
    return {
      totals: totals.map((row) => JSON.parse(row.series) as Series),
      stages: this.stages(Date.now()),
      timeline: range ? rollUp(groupByMinute(minutes), range) : [],
    };
  }

  private add(select: string, write: string, keys: SqlStorageValue[], item: Series): void {
    const row = this.sql.exec<{ series: string }>(select, ...keys).toArray()[0];
    const set = MetricSet.from(row ? [JSON.parse(row.series) as Series] : []);
    set.mergeSeries(item);
    const [merged] = set.series();
    if (merged) this.sql.exec(write, ...keys, JSON.stringify(merged));
  }

  private moveJob(jobId: string, next: (current: StagePosition | undefined) => StagePosition): void {
    const row = this.sql
      .exec<{ stage: string | null; since: number; at: number }>("SELECT stage, since, at FROM voice_stages WHERE job_id = ?", jobId)
      .toArray()[0];
    const current = row ? { stage: stageOf(row.stage), since: row.since, at: row.at } : undefined;
    const position = next(current);
    this.sql.exec("INSERT OR REPLACE INTO voice_stages (job_id, stage, since, at) VALUES (?, ?, ?, ?)", jobId, position.stage, position.since, position.at);
  }

  private stages(now: number): StageSummary[] {
    const summaries = emptySummaries();
    const rows = this.sql
      .exec<{ stage: string; waiting: number; oldest: number }>(
        "SELECT stage, COUNT(*) AS waiting, MIN(since) AS oldest FROM voice_stages WHERE stage IS NOT NULL AND at >= ? GROUP BY stage",
        now - STAGE_EXPIRY_MS,
      )
      .toArray();
    for (const row of rows) {
      const summary = summaries.find((item) => item.stage === row.stage);
      if (summary) Object.assign(summary, { waiting: row.waiting, oldestSince: row.oldest });
    }
    return summaries;
  }

  /** Minutes older than a day and long-settled jobs go, at most once a minute. */
  private pruneIfDue(now: number): void {
    if (now - this.prunedAt < MINUTE_MS) return;
    this.prunedAt = now;
    this.sql.exec("DELETE FROM minutes WHERE minute < ?", minuteOf(now - TIMELINE_RETENTION_MS));
    // A finished job's row only guards against a late, older move: an hour is plenty.
    this.sql.exec("DELETE FROM voice_stages WHERE at < ? OR (stage IS NULL AND at < ?)", now - STAGE_EXPIRY_MS, now - 60 * MINUTE_MS);
  }
}

function stageOf(value: string | null): VoiceQueueStage | null {
  return (VOICE_QUEUE_STAGES as readonly string[]).includes(value ?? "") ? (value as VoiceQueueStage) : null;
}

function groupByMinute(rows: { minute: number; series: string }[]): { minute: number; series: Series[] }[] {
  const byMinute = new Map<number, Series[]>();
  for (const row of rows) {
    const series = byMinute.get(row.minute) ?? [];
    series.push(JSON.parse(row.series) as Series);
    byMinute.set(row.minute, series);
  }
  return [...byMinute].map(([minute, series]) => ({ minute, series }));
}
