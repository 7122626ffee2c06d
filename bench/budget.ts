/**
 * The turn path's budget (issue 5: "every later change to it re-runs the benchmark and reports
 * the ratios; a regression is fixed before the change is resolved"). A full run with
 * `--record-budget` records Parley's CPU per turn against the system measured beside it in
 * `bench/budget.json` (only when asked, so that no slow creep becomes the record); any later
 * run that measures the same pair says how far it moved and whether that is past the pair's
 * tolerance. CPU per turn, because it is the figure the shared machine moves least; a ratio
 * within one run, because the machine's speed cancels out of it.
 */
import { z } from "zod";
import type { WorkloadName } from "./args.js";
import { WORKLOADS } from "./args.js";
import type { WorkloadResult } from "./report.js";
import { pairedRatio } from "./report.js";

/**
 * The pairs the budget holds, each with how far its ratio may move before a run calls it a
 * regression: a little more than runs of unchanged code moved it (bench/README.md says by how
 * much; cold most, as it follows when the runtime releases evicted actors' files).
 */
export const BUDGET_PAIRS = [
  { workload: "steady", against: "baseline", tolerance: 0.15 },
  { workload: "cold", against: "baseline", tolerance: 0.25 },
  { workload: "socket", against: "peer", tolerance: 0.15 },
] as const satisfies readonly { workload: WorkloadName; against: "baseline" | "peer"; tolerance: number }[];

const entrySchema = z.object({
  workload: z.enum(WORKLOADS),
  against: z.enum(["baseline", "peer"]),
  /** Parley's CPU ms per turn over the other system's, same run */
  cpuPerTurn: z.number().positive(),
  /** Parley's turns/s over the other system's, same run (for the reader: too noisy to judge by) */
  turnsPerS: z.number().positive(),
});

/**
 * How the systems were served. "production": no asset emulation in front of the Worker and the
 * production log level (bench/README.md); a record without it was measured with Miniflare's
 * asset router in front of Parley, which no later run reproduces.
 */
export const BUDGET_SHAPE = "production";

export const budgetSchema = z.object({
  measuredAt: z.string(),
  /** what was served, as results.md says it */
  source: z.string(),
  shape: z.literal(BUDGET_SHAPE).optional(),
  entries: z.array(entrySchema),
});

export type Budget = z.infer<typeof budgetSchema>;
export type BudgetEntry = z.infer<typeof entrySchema>;

export interface BudgetCheck {
  recorded: BudgetEntry;
  current: BudgetEntry;
  /** relative change of the CPU-per-turn ratio: +0.12 = Parley costs 12 % more than recorded */
  change: number;
  tolerance: number;
  over: boolean;
}

function ok(results: readonly WorkloadResult[], system: WorkloadResult["system"], workload: WorkloadName): WorkloadResult | undefined {
  return results.find((result) => result.system === system && result.workload === workload && result.status === "ok");
}

/** The budget's pairs that this run measured. */
export function budgetOf(results: readonly WorkloadResult[], measuredAt: string, source: string): Budget {
  const entries: BudgetEntry[] = [];
  for (const { workload, against } of BUDGET_PAIRS) {
    const parley = ok(results, "parley", workload);
    const other = ok(results, against, workload);
    if (!parley || !other) continue;
    const cpuPerTurn = pairedRatio(parley, other, "cpuMsPerTurn");
    const turnsPerS = pairedRatio(parley, other, "turnsPerS");
    if (cpuPerTurn > 0 && turnsPerS > 0) entries.push({ workload, against, cpuPerTurn, turnsPerS });
  }
  return { measuredAt, source, shape: BUDGET_SHAPE, entries };
}

/** Each pair both budgets hold, the current against the recorded. */
export function checkBudget(recorded: Budget, current: Budget): BudgetCheck[] {
  const checks: BudgetCheck[] = [];
  for (const { workload, against, tolerance } of BUDGET_PAIRS) {
    const was = recorded.entries.find((entry) => entry.workload === workload && entry.against === against);
    const now = current.entries.find((entry) => entry.workload === workload && entry.against === against);
    if (!was || !now) continue;
    const change = now.cpuPerTurn / was.cpuPerTurn - 1;
    checks.push({ recorded: was, current: now, change, tolerance, over: change > tolerance });
  }
  return checks;
}

function percent(value: number): string {
  return `${value >= 0 ? "+" : ""}${(value * 100).toFixed(1)} %`;
}

/** The lines a run prints (and writes into its results) about the budget. */
export function budgetLines(recorded: Budget, checks: readonly BudgetCheck[]): string[] {
  const against = `budget: against the run recorded ${recorded.measuredAt} (${recorded.source})`;
  const shape =
    recorded.shape === BUDGET_SHAPE
      ? []
      : [
          "the record predates production shape (Parley measured behind Miniflare's asset router): not like for like — record the next full run with --record-budget",
        ];
  if (checks.length === 0) return [`${against}: this run measured none of its pairs (parley with baseline or peer)`, ...shape];
  return [
    `${against}:`,
    ...shape,
    ...checks.map(({ recorded: was, current: now, change, tolerance, over }) => {
      const head = `budget ${now.workload}: Parley/${now.against} CPU/turn ×${now.cpuPerTurn.toFixed(2)}, recorded ×${was.cpuPerTurn.toFixed(2)} (${percent(change)}; turns/s ×${now.turnsPerS.toFixed(2)}, recorded ×${was.turnsPerS.toFixed(2)})`;
      return over
        ? `${head}: OVER BUDGET (tolerance ${percent(tolerance)}) — run it again; if it holds, fix it before the change is resolved`
        : `${head}: within budget (tolerance ${percent(tolerance)})`;
    }),
  ];
}

/** The recorded budget from its file's text; null when there is none or it does not parse. */
export function parseBudget(text: string | null): Budget | null {
  if (text === null) return null;
  try {
    const parsed = budgetSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
