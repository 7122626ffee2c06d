/**
 * What the averages hide: one system under one workload, second by second — turns answered,
 * their p50/p99/max, failures by kind, and the file descriptors the runtime holds open (two or
 * three per actor whose SQLite database is open). `--gc-at S` attaches the inspector and forces
 * a garbage collection of the Worker's isolate at second S.
 *   npx tsx bench/timeline.ts [parley|baseline|peer|…] [--workloads cold] [--duration S] [--gc-at S]
 */
import { Inspector } from "./inspector.js";
import type { ObservedTurn } from "./load.js";
import { startSingleSystem } from "./single-system.js";
import { summarize } from "./stats.js";

export interface TimelineRow {
  second: number;
  ok: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  failures: Record<string, number>;
  /** the runtime's open file descriptors sampled in this second, if any */
  openFiles?: number;
}

/** Turns bucketed by the second they started in, and a sample of open files per second. */
export class Timeline {
  private readonly latencies = new Map<number, number[]>();
  private readonly failures = new Map<number, Record<string, number>>();
  private readonly files = new Map<number, number>();

  /** `origin`: the `performance.now()` of second 0 */
  constructor(private readonly origin: number) {}

  private secondOf(at: number): number {
    return Math.max(0, Math.floor((at - this.origin) / 1000));
  }

  add(turn: ObservedTurn): void {
    const second = this.secondOf(turn.startedAt);
    if (turn.outcome.ok) {
      const bucket = this.latencies.get(second) ?? [];
      bucket.push(turn.ms);
      this.latencies.set(second, bucket);
    } else {
      const kinds = this.failures.get(second) ?? {};
      kinds[turn.outcome.kind] = (kinds[turn.outcome.kind] ?? 0) + 1;
      this.failures.set(second, kinds);
    }
  }

  openFiles(at: number, count: number): void {
    this.files.set(this.secondOf(at), count);
  }

  rows(): TimelineRow[] {
    const seconds = [...this.latencies.keys(), ...this.failures.keys(), ...this.files.keys()];
    const last = seconds.length === 0 ? -1 : Math.max(...seconds);
    return Array.from({ length: last + 1 }, (_, second) => {
      const summary = summarize(this.latencies.get(second) ?? []);
      const files = this.files.get(second);
      return {
        second,
        ok: summary.count,
        p50Ms: summary.p50,
        p99Ms: summary.p99,
        maxMs: summary.max,
        failures: this.failures.get(second) ?? {},
        ...(files === undefined ? {} : { openFiles: files }),
      };
    });
  }
}

function ms(value: number): string {
  return Number.isNaN(value) ? "-" : value.toFixed(0);
}

export function formatRow(row: TimelineRow): string {
  const failures = Object.entries(row.failures).map(([kind, count]) => `${count} ${kind}`).join(", ");
  return [
    `${row.second}s`.padStart(4),
    `${row.ok} ok`.padStart(8),
    `p50 ${ms(row.p50Ms)}`.padStart(9),
    `p99 ${ms(row.p99Ms)}`.padStart(9),
    `max ${ms(row.maxMs)}`.padStart(9),
    `fds ${row.openFiles ?? "-"}`.padStart(10),
    failures === "" ? "" : ` failed: ${failures}`,
  ].join(" ");
}

/** `--gc-at S` out of the arguments: the rest are the benchmark's own. */
function gcAt(argv: readonly string[]): { gcAtS?: number; rest: string[] } {
  const at = argv.indexOf("--gc-at");
  if (at === -1) return { rest: [...argv] };
  const value = Number(argv[at + 1]);
  if (!(value > 0)) throw new Error("--gc-at needs a number of seconds");
  return { gcAtS: value, rest: argv.filter((_, i) => i !== at && i !== at + 1) };
}

async function main(argv: readonly string[]): Promise<void> {
  const { gcAtS, rest } = gcAt(argv);
  const { system, workloadName, workload, running, inspectorPort, stop } = await startSingleSystem(rest, { inspector: gcAtS !== undefined, defaultWorkload: "cold" });
  const timers: NodeJS.Timeout[] = [];
  try {
    const inspector = inspectorPort === undefined ? undefined : await Inspector.connect(`ws://127.0.0.1:${inspectorPort}/ws`);
    const started = performance.now();
    const timeline = new Timeline(started);
    timers.push(setInterval(() => timeline.openFiles(performance.now(), running.openFiles()), 1000));
    if (inspector !== undefined && gcAtS !== undefined) {
      const collect = async () => {
        await inspector.send("HeapProfiler.collectGarbage");
        console.log(`garbage collected at ${((performance.now() - started) / 1000).toFixed(1)} s`);
      };
      timers.push(setTimeout(() => void collect(), gcAtS * 1000));
    }
    const { stats } = await workload.run(running, (turn) => timeline.add(turn));
    inspector?.close();
    console.log(`${system} ${workloadName}: ${stats.turnsPerS.toFixed(0)} turns/s in the measured window, ${stats.errors} errors`);
    for (const row of timeline.rows()) console.log(formatRow(row));
  } finally {
    for (const timer of timers) clearInterval(timer);
    await stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main(process.argv.slice(2));
