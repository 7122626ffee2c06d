/** The benchmark's table, ratio lines and results file: pure formatting, unit-tested. */
import type { SystemName, WorkloadName } from "./args.js";
import type { LoadStats } from "./load.js";
import { median, ratio } from "./stats.js";

/** A workload's figures (LoadStats) with the run's status, memory and users. */
export interface WorkloadResult extends LoadStats {
  system: SystemName;
  workload: WorkloadName;
  /** "n/a" when the system cannot run the workload (the note says why) */
  status: "ok" | "n/a" | "failed";
  note?: string;
  /** peak RSS of the workerd processes of this run, MiB */
  peakRssMiB: number;
  /** distinct users (steady, cold) or sockets (socket) that took part */
  users: number;
  /** how many rounds the figures are the median of */
  rounds?: number;
  /** lowest and highest turns/s over the rounds */
  range?: [number, number];
  /** each round's figures, in round order: ratios pair the systems round by round (see `pairedRatio`) */
  perRound?: RoundFigures[];
}

/** The figures a ratio compares, of one round. */
export interface RoundFigures {
  turnsPerS: number;
  p99Ms: number;
  cpuMsPerTurn: number;
}

/**
 * Parley's figure over another system's. With rounds, the median of the round-by-round ratios:
 * the systems of one round ran minutes apart, under the same other work on the machine, so a
 * round's ratio cancels what the machine was doing; the ratio of two independent medians may
 * pair a quiet round of one system with a busy round of the other.
 */
export function pairedRatio(a: WorkloadResult, b: WorkloadResult, figure: keyof RoundFigures): number {
  const rounds = a.perRound;
  const others = b.perRound;
  if (rounds && others && rounds.length > 1 && rounds.length === others.length) {
    return median(rounds.map((round, index) => ratio(round[figure], others[index]?.[figure])));
  }
  return ratio(a[figure], b[figure]);
}

/**
 * One result out of repeated rounds of the same system and workload: the median of each rate
 * and latency over the rounds that ran, the sums of turns and errors, the highest peak memory.
 * A round that failed makes the whole result failed: a flaky system is not hidden by medians.
 */
export function combineRounds(rounds: readonly WorkloadResult[]): WorkloadResult {
  const first = rounds[0];
  if (first === undefined) throw new RangeError("no rounds to combine");
  const failed = rounds.find((round) => round.status === "failed");
  if (failed) return { ...failed, rounds: rounds.length };
  const ok = rounds.filter((round) => round.status === "ok");
  if (ok.length === 0) return { ...first, rounds: rounds.length };
  const errorKinds: Record<string, number> = {};
  for (const round of ok) for (const [kind, count] of Object.entries(round.errorKinds)) errorKinds[kind] = (errorKinds[kind] ?? 0) + count;
  const sum = (pick: (round: WorkloadResult) => number) => ok.reduce((total, round) => total + pick(round), 0);
  return {
    system: first.system,
    workload: first.workload,
    status: "ok",
    turns: sum((round) => round.turns),
    errors: sum((round) => round.errors),
    errorKinds,
    seconds: sum((round) => round.seconds),
    turnsPerS: median(ok.map((round) => round.turnsPerS)),
    p50Ms: median(ok.map((round) => round.p50Ms)),
    p99Ms: median(ok.map((round) => round.p99Ms)),
    cpuMsPerTurn: median(ok.map((round) => round.cpuMsPerTurn)),
    proxyCpuMsPerTurn: median(ok.map((round) => round.proxyCpuMsPerTurn)),
    hostCpuMsPerTurn: median(ok.map((round) => round.hostCpuMsPerTurn)),
    peakRssMiB: Math.max(...ok.map((round) => round.peakRssMiB)),
    users: Math.max(...ok.map((round) => round.users)),
    rounds: ok.length,
    range: [Math.min(...ok.map((round) => round.turnsPerS)), Math.max(...ok.map((round) => round.turnsPerS))],
    // Paired only when every round ran: a skipped round would misalign the pairs.
    ...(ok.length === rounds.length ? { perRound: ok.map(({ turnsPerS, p99Ms, cpuMsPerTurn }) => ({ turnsPerS, p99Ms, cpuMsPerTurn })) } : {}),
  };
}

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
  throughputVsBaseline: 0.7,
  p99VsBaseline: 1.5,
  throughputVsPeer: 1.5,
  stepMedianUs: 100,
  coldStartMs: 25,
} as const;

const SYSTEM_LABEL: Record<SystemName, string> = {
  parley: "Parley",
  baseline: "baseline",
  peer: "peer (Agents SDK)",
  "parley-no-assets": "probe: Parley without [assets]",
  "parley-actor": "probe: Parley actor, bare fetch",
  "baseline-log": "probe: baseline + a log line",
  "parley-bare": "probe: Parley, bare /v1/messages",
};

function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : "–";
}

/** Aligns a table of cells as a Markdown pipe table that also reads well in a terminal. */
export function pipeTable(header: readonly string[], rows: readonly (readonly string[])[], rightAligned: readonly boolean[]): string {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: readonly string[]) =>
    `| ${widths.map((width, column) => (rightAligned[column] ? (cells[column] ?? "").padStart(width) : (cells[column] ?? "").padEnd(width))).join(" | ")} |`;
  const rule = `|${widths.map((width, column) => (rightAligned[column] ? `${"-".repeat(width + 1)}:` : "-".repeat(width + 2))).join("|")}|`;
  return [line(header), rule, ...rows.map(line)].join("\n");
}

function errorCell(result: WorkloadResult): string {
  if (result.errors === 0) return "0";
  const kinds = Object.entries(result.errorKinds)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 2)
    .map(([kind, count]) => `${kind}: ${count}`)
    .join(", ");
  return `${result.errors} (${kinds})`;
}

export function formatTable(results: readonly WorkloadResult[]): string {
  const withRange = results.some((result) => result.range !== undefined && (result.rounds ?? 1) > 1);
  const header = ["system", "workload", "turns/s", ...(withRange ? ["rounds' range"] : []), "p50 ms", "p99 ms", "CPU ms/turn", "+ dev proxy", "+ wrangler", "errors", "turns", "users", "peak RSS MiB"];
  const range = (result: WorkloadResult) => (withRange ? [result.range ? `${fixed(result.range[0], 0)}–${fixed(result.range[1], 0)}` : ""] : []);
  const rows = results.map((result) =>
    result.status !== "ok"
      ? [SYSTEM_LABEL[result.system], result.workload, `${result.status}${result.note ? ` (${result.note})` : ""}`, ...range(result).map(() => ""), "", "", "", "", "", "", "", "", result.peakRssMiB > 0 ? fixed(result.peakRssMiB, 0) : ""]
      : [
          SYSTEM_LABEL[result.system],
          result.workload,
          fixed(result.turnsPerS, 0),
          ...range(result),
          fixed(result.p50Ms, 2),
          fixed(result.p99Ms, 2),
          fixed(result.cpuMsPerTurn, 2),
          fixed(result.proxyCpuMsPerTurn, 2),
          fixed(result.hostCpuMsPerTurn, 2),
          errorCell(result),
          String(result.turns),
          String(result.users),
          fixed(result.peakRssMiB, 0),
        ],
  );
  return pipeTable(header, rows, header.map((_, column) => column >= 2));
}

/** A ratio beside its target: three decimals when two would print the target itself (0.6966 → "0.697", not "0.70 … MISSED"). */
function ratioText(value: number, target: number): string {
  return fixed(value, 2) === fixed(target, 2) && value !== target ? fixed(value, 3) : fixed(value, 2);
}

/** `at least` (≥), `at most` (≤) or `below` (<) the target. */
function verdict(value: number, target: number, bound: "at least" | "at most" | "below"): string {
  if (!Number.isFinite(value)) return "not measured";
  const met = bound === "at least" ? value >= target : bound === "at most" ? value <= target : value < target;
  return met ? "met" : "MISSED";
}

function find(results: readonly WorkloadResult[], system: SystemName, workload: WorkloadName): WorkloadResult | undefined {
  return results.find((result) => result.system === system && result.workload === workload && result.status === "ok");
}

/**
 * The ratio lines printed last: Parley against the baseline (steady, cold) and against the
 * peer (every workload both ran), each with its target and whether it was met.
 */
export function ratioLines(results: readonly WorkloadResult[]): string[] {
  const lines: string[] = [];
  for (const workload of ["steady", "cold"] as const) {
    const parley = find(results, "parley", workload);
    const baseline = find(results, "baseline", workload);
    if (!parley || !baseline) continue;
    const throughput = pairedRatio(parley, baseline, "turnsPerS");
    const p99 = pairedRatio(parley, baseline, "p99Ms");
    const cpu = pairedRatio(parley, baseline, "cpuMsPerTurn");
    lines.push(
      `Parley/baseline ${workload}: turns/s ×${ratioText(throughput, TARGETS.throughputVsBaseline)} (target ≥ ${TARGETS.throughputVsBaseline}: ${verdict(throughput, TARGETS.throughputVsBaseline, "at least")}), ` +
        `p99 ×${ratioText(p99, TARGETS.p99VsBaseline)} (target ≤ ${TARGETS.p99VsBaseline}: ${verdict(p99, TARGETS.p99VsBaseline, "at most")}), CPU/turn ×${fixed(cpu, 2)}`,
    );
  }
  for (const workload of ["steady", "cold", "socket"] as const) {
    const parley = find(results, "parley", workload);
    const peer = find(results, "peer", workload);
    if (!parley || !peer) continue;
    const throughput = pairedRatio(parley, peer, "turnsPerS");
    const p99 = pairedRatio(parley, peer, "p99Ms");
    const cpu = pairedRatio(parley, peer, "cpuMsPerTurn");
    lines.push(
      `Parley/peer ${workload}: turns/s ×${ratioText(throughput, TARGETS.throughputVsPeer)} (target ≥ ${TARGETS.throughputVsPeer}: ${verdict(throughput, TARGETS.throughputVsPeer, "at least")}), p99 ×${fixed(p99, 2)}, CPU/turn ×${fixed(cpu, 2)}`,
    );
  }
  return lines;
}

export function microLines(micro: MicroResults): string[] {
  const lines: string[] = [];
  if (micro.stepMedianUs !== undefined) {
    lines.push(`dialog step median: ${fixed(micro.stepMedianUs, 1)} µs (target < ${TARGETS.stepMedianUs} µs: ${verdict(micro.stepMedianUs, TARGETS.stepMedianUs, "below")})`);
  }
  if (micro.coldStartSnapshotMs !== undefined) {
    lines.push(
      `cold start of a 10,000-event conversation: ${fixed(micro.coldStartSnapshotMs, 2)} ms from snapshot + ${micro.tailEvents ?? "?"}-event tail ` +
        `(target < ${TARGETS.coldStartMs} ms: ${verdict(micro.coldStartSnapshotMs, TARGETS.coldStartMs, "below")}); full replay ${fixed(micro.coldStartReplayMs ?? Number.NaN, 2)} ms`,
    );
  }
  return lines;
}

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  wrangler: string;
  workerd: string;
  miniflare: string;
  agents: string;
  platform: string;
}

export interface ReportInput {
  date: string;
  command: string;
  machine: MachineInfo;
  /** what was served, e.g. "working tree at abc123" */
  source: string;
  /** 1-minute load averages seen as each system started (other work on the machine) */
  loadAverages?: readonly number[];
  durationS: number;
  warmupS: number;
  connections: number;
  rounds: number;
  results: readonly WorkloadResult[];
  micro: MicroResults;
  /** this run against the turn path's recorded budget (budget.ts) */
  budget?: readonly string[];
  elapsedS: number;
}

/** `bench/results.md`: the table, the microbenchmarks and the ratios, with the machine and versions. */
export function resultsMarkdown(input: ReportInput): string {
  const { machine } = input;
  const ratios = ratioLines(input.results);
  const micro = microLines(input.micro);
  return [
    "# Benchmark results",
    "",
    `Measured ${input.date} with \`${input.command}\` (${input.elapsedS.toFixed(0)} s in all).`,
    "",
    `- machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB.toFixed(0)} GiB, ${machine.platform}` +
      (input.loadAverages && input.loadAverages.length > 0
        ? `; 1-min load average ${Math.min(...input.loadAverages).toFixed(1)}–${Math.max(...input.loadAverages).toFixed(1)} as systems started (the machine is shared: other work competes with every figure)`
        : ""),
    `- runtime: wrangler ${machine.wrangler} (miniflare ${machine.miniflare}, workerd ${machine.workerd}), wrangler's dev server (\`wrangler dev\` without a debugger attached, bench/README.md) on 127.0.0.1, local SQLite on disk`,
    `- load: Node ${machine.node} on the same machine, ${input.connections} connections (turns in flight), ${input.warmupS} s warm-up then ${input.durationS} s measured per workload` +
      (input.rounds > 1 ? `; ${input.rounds} rounds with the systems interleaved, each figure the median round (turns and errors summed), each ratio the median of the rounds' ratios` : ""),
    "- each system and workload on a fresh dev server with fresh storage; peak RSS = the workerd processes (wrangler runs two: its dev proxy and the runtime)",
    "- CPU ms/turn = user + system CPU of the runtime's workerd process (Worker, actors, and Miniflare's asset router when a Worker has `[assets]`) over the measured window, per successful turn; \"+ dev proxy\" = the same for wrangler's dev proxy, \"+ wrangler\" for wrangler's Node process (it reads and files every console line), neither of which production has. CPU per turn is the steadiest figure on a shared machine: it moves by about ± 10 % between rounds, turns/s and latencies by up to 2 ×",
    `- served: a copy of the ${input.source}; peer: agents ${machine.agents}`,
    "",
    formatTable(input.results),
    "",
    ...micro.map((line) => `- ${line}`),
    ...(micro.length > 0 ? [""] : []),
    ...ratios.map((line) => `- ${line}`),
    ...(input.budget && input.budget.length > 0 ? ["", ...input.budget.map((line) => `- ${line}`)] : []),
    "",
  ].join("\n");
}
