import type { Series } from "./series.js";
import { MetricSet } from "./series.js";

/** Shards keep counts per minute of arrival: the finest step /v1/admin/stats offers. */
export const MINUTE_MS = 60_000;
/** How long a shard keeps its minutes: the widest window. */
export const TIMELINE_RETENTION_MS = 24 * 60 * 60_000;

export function minuteOf(at: number): number {
  return Math.floor(at / MINUTE_MS) * MINUTE_MS;
}

/** The buckets of a window ending now: `count` steps, the last one the current (partial) step. */
export interface TimelineRange {
  from: number;
  to: number;
  stepMs: number;
}

export function rangeEndingAt(now: number, windowMs: number, stepMs: number): TimelineRange {
  const last = Math.floor(now / stepMs) * stepMs;
  const count = Math.max(1, Math.round(windowMs / stepMs));
  return { from: last - (count - 1) * stepMs, to: last + stepMs, stepMs };
}

export function bucketStarts(range: TimelineRange): number[] {
  const starts: number[] = [];
  for (let start = range.from; start < range.to; start += range.stepMs) starts.push(start);
  return starts;
}

/** Counts of one step of a window, as a shard sends them. */
export interface TimelineBucket {
  start: number;
  series: Series[];
}

/** Minute rows rolled up into the range's steps; minutes outside it are left out. */
export function rollUp(minutes: Iterable<{ minute: number; series: Series[] }>, range: TimelineRange): TimelineBucket[] {
  const steps = new Map<number, MetricSet>();
  for (const { minute, series } of minutes) {
    if (minute < range.from || minute >= range.to) continue;
    const start = range.from + Math.floor((minute - range.from) / range.stepMs) * range.stepMs;
    const set = steps.get(start) ?? new MetricSet();
    for (const item of series) set.mergeSeries(item);
    steps.set(start, set);
  }
  return [...steps].map(([start, set]) => ({ start, series: set.series() }));
}

/** The shards' buckets merged by start: one set per step of the range, empty ones included. */
export function mergeTimelines(range: TimelineRange, parts: Iterable<readonly TimelineBucket[]>): Map<number, MetricSet> {
  const merged = new Map<number, MetricSet>(bucketStarts(range).map((start) => [start, new MetricSet()]));
  for (const part of parts) {
    for (const bucket of part) merged.get(bucket.start)?.merge(MetricSet.from(bucket.series));
  }
  return merged;
}
