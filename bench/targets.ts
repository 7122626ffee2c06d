/**
 * The benchmark's targets (issue 18), what a run says about each, and the comparisons printed
 * beside them that are reported, not targeted. Pure, unit-tested.
 *
 * The targets hold for production shape (no asset emulation, the production log level), judged
 * over three rounds by the median of the round-by-round ratios (`pairedRatio`).
 */

import type { SystemName, WorkloadName } from "./args.js";
import { FULL_ROUNDS } from "./args.js";
import type { Block, RoundFigures, WorkloadResult } from "./report.js";
import { fixed, pairedRatio } from "./report.js";

export interface MicroResults {
  /** median of `step` per turn, µs (bench/dialog-step.ts) */
  stepMedianUs?: number;
  /** median time to load a 10,000-event conversation from snapshot + tail, ms */
  coldStartSnapshotMs?: number;
  /** median time to replay all 10,000 events without a snapshot, ms */
  coldStartReplayMs?: number;
  tailEvents?: number;
}

export const TARGETS = {
  /** Parley's turns/s over the baseline's, steady and cold: at least */
  throughputVsBaseline: 0.7,
  /** Parley's p99 over the baseline's, steady and cold: at most */
  p99VsBaseline: 1.5,
  /** Parley's turns/s over the peer's, cold only: at least */
  throughputVsPeerCold: 1.5,
  /** the dialog step's median, µs: below */
  stepMedianUs: 100,
  /** a 10,000-event conversation's cold start, ms: below */
  coldStartMs: 25,
} as const;

type Bound = "≥" | "≤" | "<";

export interface TargetVerdict {
  /** what is targeted, as printed */
  target: string;
  /** NaN when the run did not measure it */
  value: number;
  bound: Bound;
  limit: number;
  /** a ratio prints as ×0.70, a duration with its unit */
  unit: "×" | "µs" | "ms";
  note?: string;
}

function find(results: readonly WorkloadResult[], system: SystemName, workload: WorkloadName): WorkloadResult | undefined {
  return results.find((result) => result.system === system && result.workload === workload && result.status === "ok");
}

/** Parley's figure over another system's in one workload; NaN when either side did not run it. */
export function parleyOver(results: readonly WorkloadResult[], other: SystemName, workload: WorkloadName, figure: keyof RoundFigures): number {
  const parley = find(results, "parley", workload);
  const them = find(results, other, workload);
  return parley && them ? pairedRatio(parley, them, figure) : Number.NaN;
}

/** Every target with what this run measured for it (NaN: not measured). */
export function targetVerdicts(results: readonly WorkloadResult[], micro: MicroResults): TargetVerdict[] {
  const { throughputVsBaseline: share, p99VsBaseline: tail, throughputVsPeerCold: peer } = TARGETS;
  const ratio = (target: string, other: SystemName, workload: WorkloadName, figure: keyof RoundFigures, bound: Bound, limit: number): TargetVerdict => ({
    target,
    value: parleyOver(results, other, workload, figure),
    bound,
    limit,
    unit: "×",
  });
  const coldStart: TargetVerdict = {
    target: `10,000-event cold start < ${TARGETS.coldStartMs} ms`,
    value: micro.coldStartSnapshotMs ?? Number.NaN,
    bound: "<",
    limit: TARGETS.coldStartMs,
    unit: "ms",
  };
  if (micro.coldStartSnapshotMs !== undefined)
    coldStart.note = `snapshot + ${micro.tailEvents ?? "?"}-event tail; full replay ${fixed(micro.coldStartReplayMs ?? Number.NaN, 2)} ms`;
  return [
    ratio(`Parley ≥ ${share} × baseline turns/s, steady`, "baseline", "steady", "turnsPerS", "≥", share),
    ratio(`Parley ≥ ${share} × baseline turns/s, cold`, "baseline", "cold", "turnsPerS", "≥", share),
    ratio(`Parley p99 ≤ ${tail} × baseline p99, steady`, "baseline", "steady", "p99Ms", "≤", tail),
    ratio(`Parley p99 ≤ ${tail} × baseline p99, cold`, "baseline", "cold", "p99Ms", "≤", tail),
    ratio(`Parley ≥ ${peer} × peer turns/s, cold`, "peer", "cold", "turnsPerS", "≥", peer),
    { target: `dialog step median < ${TARGETS.stepMedianUs} µs`, value: micro.stepMedianUs ?? Number.NaN, bound: "<", limit: TARGETS.stepMedianUs, unit: "µs" },
    coldStart,
  ];
}

export function verdictOf({ value, bound, limit }: TargetVerdict): "met" | "MISSED" | "not measured" {
  if (!Number.isFinite(value)) return "not measured";
  const met = bound === "≥" ? value >= limit : bound === "≤" ? value <= limit : value < limit;
  return met ? "met" : "MISSED";
}

/** ×0.70; three decimals when two would print the limit itself (0.6966 → ×0.697, not ×0.70 MISSED). */
function valueText({ value, limit, unit }: TargetVerdict): string {
  if (!Number.isFinite(value)) return "–";
  if (unit !== "×") return `${fixed(value, unit === "µs" ? 1 : 2)} ${unit}`;
  return `×${fixed(value, 2) === fixed(limit, 2) && value !== limit ? fixed(value, 3) : fixed(value, 2)}`;
}

/** What a run with fewer rounds than a full one may say about the targets. */
function caveat(rounds: number, smoke: boolean): string {
  if (smoke) return " — a smoke run: seconds of load, no verdict";
  if (rounds < FULL_ROUNDS) return ` — ${rounds} round${rounds === 1 ? "" : "s"}: indicative only`;
  return "";
}

/** The targets, one line each, aligned: what is targeted, what was measured, whether it was met. */
export function targetsBlock(verdicts: readonly TargetVerdict[], run: { rounds: number; smoke: boolean }): Block {
  const width = Math.max(...verdicts.map(({ target }) => target.length));
  const valueWidth = Math.max(...verdicts.map((verdict) => valueText(verdict).length));
  return {
    title: `targets (production shape; judged over ${FULL_ROUNDS} rounds by the median of the round ratios)${caveat(run.rounds, run.smoke)}:`,
    lines: verdicts.map((verdict) => {
      const line = `${`${verdict.target}:`.padEnd(width + 1)} ${valueText(verdict).padStart(valueWidth)}  ${verdictOf(verdict)}`;
      return verdict.note ? `${line} (${verdict.note})` : line;
    }),
  };
}

function ratios(results: readonly WorkloadResult[], other: SystemName, workload: WorkloadName, figures: readonly (keyof RoundFigures)[]): string {
  const label: Record<keyof RoundFigures, string> = { turnsPerS: "turns/s", p99Ms: "p99", cpuMsPerTurn: "CPU/turn" };
  return figures.map((figure) => `${label[figure]} ×${fixed(parleyOver(results, other, workload, figure), 2)}`).join(", ");
}

/** The comparisons printed beside the targets: CPU per turn, and Parley against the peer where no target applies. */
export function reportedBlock(results: readonly WorkloadResult[]): Block {
  const lines: string[] = [];
  const ran = (other: SystemName, workload: WorkloadName) => find(results, "parley", workload) !== undefined && find(results, other, workload) !== undefined;
  for (const workload of ["steady", "cold"] as const) {
    if (ran("baseline", workload)) lines.push(`Parley/baseline ${workload}: ${ratios(results, "baseline", workload, ["cpuMsPerTurn"])}`);
  }
  for (const workload of ["steady", "socket"] as const) {
    if (ran("peer", workload)) lines.push(`Parley/peer ${workload}: ${ratios(results, "peer", workload, ["turnsPerS", "p99Ms", "cpuMsPerTurn"])}`);
  }
  if (ran("peer", "cold")) lines.push(`Parley/peer cold: ${ratios(results, "peer", "cold", ["p99Ms", "cpuMsPerTurn"])}`);
  return { title: "reported, not targeted:", lines };
}
