/** The benchmark's table, its rounds and its results file: pure formatting, unit-tested. */
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
  /** Parley: SQLite rows its actors wrote per committed turn, alarms included (rows.ts) */
  rowsPerTurn?: number;
  /** Parley: alarms its actors had set per committed turn (each fires once: a Durable Object request) */
  alarmsPerTurn?: number;
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
    ...medianOf(ok, "rowsPerTurn"),
    ...medianOf(ok, "alarmsPerTurn"),
  };
}

/** `{ [key]: median }` over the rounds that measured it; nothing when none did. */
function medianOf(rounds: readonly WorkloadResult[], key: "rowsPerTurn" | "alarmsPerTurn"): Partial<WorkloadResult> {
  const values = rounds.flatMap((round) => (round[key] === undefined ? [] : [round[key]]));
  return values.length > 0 ? { [key]: median(values) } : {};
}

const SYSTEM_LABEL: Record<SystemName, string> = {
  parley: "Parley",
  baseline: "baseline",
  peer: "peer (Agents SDK)",
};

export function fixed(value: number, digits: number): string {
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
  const header = [
    "system",
    "workload",
    "turns/s",
    ...(withRange ? ["rounds' range"] : []),
    "p50 ms",
    "p99 ms",
    "CPU ms/turn",
    "+ dev proxy",
    "+ wrangler",
    "errors",
    "turns",
    "users",
    "peak RSS MiB",
  ];
  const range = (result: WorkloadResult) => (withRange ? [result.range ? `${fixed(result.range[0], 0)}–${fixed(result.range[1], 0)}` : ""] : []);
  const rows = results.map((result) =>
    result.status !== "ok"
      ? [
          SYSTEM_LABEL[result.system],
          result.workload,
          `${result.status}${result.note ? ` (${result.note})` : ""}`,
          ...range(result).map(() => ""),
          "",
          "",
          "",
          "",
          "",
          "",
          "",
          "",
          result.peakRssMiB > 0 ? fixed(result.peakRssMiB, 0) : "",
        ]
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
  return pipeTable(
    header,
    rows,
    header.map((_, column) => column >= 2),
  );
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

/** A closing block of the output: the targets, the figures reported beside them, the bill, the budget. */
export interface Block {
  title: string;
  lines: readonly string[];
}

/** A block as the terminal shows it. */
export function blockText({ title, lines }: Block): string {
  return [title, ...lines.map((line) => `  ${line}`)].join("\n");
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
  /** after the table, in order */
  blocks: readonly Block[];
  elapsedS: number;
}

function setupLines(input: ReportInput): string[] {
  const { machine, loadAverages } = input;
  const load =
    loadAverages && loadAverages.length > 0
      ? `; 1-min load average ${Math.min(...loadAverages).toFixed(1)}–${Math.max(...loadAverages).toFixed(1)} as systems started (the machine is shared: other work competes with every figure)`
      : "";
  const rounds =
    input.rounds > 1
      ? `; ${input.rounds} rounds with the systems interleaved, each figure the median round (turns and errors summed), each ratio the median of the rounds' ratios`
      : "";
  return [
    `- machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB.toFixed(0)} GiB, ${machine.platform}${load}`,
    `- runtime: wrangler ${machine.wrangler} (miniflare ${machine.miniflare}, workerd ${machine.workerd}), wrangler's dev server (\`wrangler dev\` without a debugger attached, bench/README.md) on 127.0.0.1, local SQLite on disk`,
    "- production shape: no asset emulation in front of any Worker (Parley served with its wrangler.toml minus `[assets]`: the platform serves static assets before the Worker, and the benchmark calls only `/v1/*`), the Worker's LOG_LEVEL at info (Parley's production default), wrangler's own logging quiet",
    `- load: Node ${machine.node} on the same machine, ${input.connections} connections (turns in flight), ${input.warmupS} s warm-up then ${input.durationS} s measured per workload${rounds}`,
    "- each system and workload on a fresh dev server with fresh storage (a smoke run shares one per system); peak RSS = the workerd processes (wrangler runs two: its dev proxy and the runtime)",
    '- CPU ms/turn = user + system CPU of the runtime\'s workerd process (the Worker and its actors) over the measured window, per successful turn; "+ dev proxy" = the same for wrangler\'s dev proxy, "+ wrangler" for wrangler\'s Node process (it reads and files every console line), neither of which production has. CPU per turn is the steadiest figure on a shared machine: it moves by about ± 10 % between rounds, turns/s and latencies by up to 2 ×',
    `- served: a copy of the ${input.source}; peer: agents ${machine.agents}`,
  ];
}

/** `bench/results.md`: the setup, the table, then the closing blocks (targets, bill, budget). */
export function resultsMarkdown(input: ReportInput): string {
  const blocks = input.blocks.filter((block) => block.lines.length > 0);
  return [
    "# Benchmark results",
    "",
    `Measured ${input.date} with \`${input.command}\` (${input.elapsedS.toFixed(0)} s in all).`,
    "",
    ...setupLines(input),
    "",
    formatTable(input.results),
    ...blocks.flatMap(({ title, lines }) => ["", title, "", ...lines.map((line) => `- ${line}`)]),
    "",
  ].join("\n");
}
