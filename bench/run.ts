/**
 * `npm run bench`: Parley, the baseline and the Agents SDK peer, each under `wrangler dev`
 * started the same way and in production shape, driven from this process on loopback; one
 * table, then the targets, the figures reported beside them, the bill and the budget.
 * See bench/README.md.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { BenchOptions, SystemName, WorkloadName } from "./args.js";
import { FULL_ROUNDS, SYSTEMS, UsageError, WORKLOADS, parseArgs } from "./args.js";
import type { Budget } from "./budget.js";
import { budgetLines, budgetOf, checkBudget, parseBudget } from "./budget.js";
import { billBlock } from "./cost.js";
import { resetErrorReports } from "./load.js";
import { machineInfo } from "./machine.js";
import type { Block, WorkloadResult } from "./report.js";
import { blockText, combineRounds, formatTable, resultsMarkdown } from "./report.js";
import { readActorRows, rowsPerTurnByWorkload } from "./rows.js";
import type { RunningSystem } from "./runtime.js";
import { startSystem } from "./runtime.js";
import { copySource } from "./source.js";
import { SYSTEM_SPECS } from "./systems.js";
import type { MicroResults } from "./targets.js";
import { reportedBlock, targetVerdicts, targetsBlock } from "./targets.js";
import type { Workload } from "./workloads.js";
import { NotAvailable, workloadFor } from "./workloads.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
/** The turn path's recorded budget (budget.ts): written only by a run with --record-budget. */
const BUDGET_FILE = join(ROOT, "bench/budget.json");
const run = promisify(execFile);

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

function emptyResult(system: SystemName, workload: WorkloadName, status: WorkloadResult["status"], note: string, peakRssMiB = 0): WorkloadResult {
  return {
    system,
    workload,
    status,
    note,
    turns: 0,
    errors: 0,
    errorKinds: {},
    seconds: 0,
    turnsPerS: Number.NaN,
    p50Ms: Number.NaN,
    p99Ms: Number.NaN,
    cpuMsPerTurn: Number.NaN,
    proxyCpuMsPerTurn: Number.NaN,
    hostCpuMsPerTurn: Number.NaN,
    peakRssMiB,
    users: 0,
  };
}

/** 1-minute load average: other work on the machine, recorded next to each measurement. */
const loadAverages: number[] = [];
function loadAverage(): number {
  const value = Number(loadavg()[0]?.toFixed(2));
  loadAverages.push(value);
  return value;
}

/** What to stop if the run is interrupted. */
let current: RunningSystem | undefined;
let cleanup: (() => void) | undefined;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping`);
    void (current?.stop() ?? Promise.resolve(0)).finally(() => {
      cleanup?.();
      process.exit(130);
    });
  });
}

/** One workload on a running system: its figures, or why there are none. */
async function runWorkload(system: SystemName, workload: Workload, running: RunningSystem): Promise<WorkloadResult> {
  resetErrorReports();
  try {
    const { stats, users } = await workload.run(running);
    const status = stats.turns > 0 ? "ok" : "failed";
    log(
      `${system} ${workload.name}: ${stats.turnsPerS.toFixed(0)} turns/s, p50 ${stats.p50Ms.toFixed(2)} ms, p99 ${stats.p99Ms.toFixed(2)} ms, CPU/turn ${stats.cpuMsPerTurn.toFixed(2)} ms + ${stats.proxyCpuMsPerTurn.toFixed(2)} ms dev proxy + ${stats.hostCpuMsPerTurn.toFixed(2)} ms wrangler, ${stats.errors} errors ${stats.errors ? JSON.stringify(stats.errorKinds) : ""}`,
    );
    return {
      system,
      workload: workload.name,
      status,
      ...(status === "failed" ? { note: "no turn succeeded" } : {}),
      ...stats,
      peakRssMiB: running.peakRssMiB(),
      users,
    };
  } catch (error) {
    if (error instanceof NotAvailable) {
      log(`${system} ${workload.name}: not available (${error.message})`);
      return emptyResult(system, workload.name, "n/a", "not available");
    }
    log(`${system} ${workload.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n${running.logTail().trim()}`);
    return emptyResult(system, workload.name, "failed", error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error), running.peakRssMiB());
  }
}

/** Parley's rows written per turn, counted in its actors' databases once the runtime stopped (rows.ts). */
async function countRows(persistDir: string, results: readonly WorkloadResult[]): Promise<void> {
  try {
    const perWorkload = rowsPerTurnByWorkload(await readActorRows(persistDir));
    for (const result of results) {
      const rows = perWorkload[result.workload];
      if (result.status !== "ok" || rows === undefined) continue;
      result.rowsPerTurn = rows.rowsWritten;
      result.alarmsPerTurn = rows.alarms;
      log(`${result.system} ${result.workload}: ${rows.rowsWritten.toFixed(2)} rows written per turn (${rows.turns} turns of ${rows.actors} actors)`);
    }
  } catch (error) {
    log(`rows written not counted: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
  }
}

/**
 * One system under one `wrangler dev` with fresh storage, running the given workloads in turn.
 * A full run gives every workload its own instance (clean memory figures); a smoke run shares
 * one per system to stay short. Peak RSS is the instance's peak up to the end of the workload.
 */
async function measure(
  system: SystemName,
  workloadNames: readonly WorkloadName[],
  options: BenchOptions,
  runId: string,
  sourceDir: string,
): Promise<WorkloadResult[]> {
  const spec = SYSTEM_SPECS[system];
  const workloads = workloadNames.map((name) => workloadFor(name, options, `${runId}${system[0] ?? ""}`, spec));
  for (const workload of workloads) await workload.prepare();
  const started = performance.now();
  let running: RunningSystem;
  try {
    spec.derive?.(sourceDir);
    running = await startSystem(spec.config, sourceDir);
  } catch (error) {
    log(`${system} did not start: ${error instanceof Error ? error.message : String(error)}`);
    return workloadNames.map((name) => emptyResult(system, name, "failed", "did not start"));
  }
  current = running;
  log(`${system}: ready in ${((performance.now() - started) / 1000).toFixed(1)} s at ${running.origin} (load average ${loadAverage()})`);
  const results: WorkloadResult[] = [];
  for (const workload of workloads) results.push(await runWorkload(system, workload, running));
  const peak = await running.stop(system === "parley" ? (dir) => countRows(dir, results) : undefined);
  current = undefined;
  const last = results.at(-1);
  if (last && last.status !== "n/a") last.peakRssMiB = peak;
  return results;
}

async function tsx(script: string, args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, ["--import", "tsx", join(ROOT, script), ...args], { cwd: ROOT, maxBuffer: 1 << 20 });
  return stdout;
}

/** The dialog-step and cold-start microbenchmarks, each in its own process (a quiet JIT and heap). */
async function microbenchmarks(): Promise<MicroResults> {
  const micro: MicroResults = {};
  try {
    const stepOutput = await tsx("bench/dialog-step.ts", []);
    const match = /median ([\d.]+) µs/.exec(stepOutput);
    if (match?.[1]) micro.stepMedianUs = Number(match[1]);
    log(`dialog step: ${stepOutput.trim().split("\n").join(" / ")}`);
  } catch (error) {
    log(`dialog-step failed: ${String(error)}`);
  }
  try {
    const coldOutput = await tsx("bench/cold-start.ts", ["--json"]);
    const parsed = JSON.parse(coldOutput.trim().split("\n").at(-1) ?? "{}") as {
      snapshotMs?: number;
      replayMs?: number;
      tailEvents?: number;
      snapshotFirstMs?: number;
    };
    if (parsed.snapshotMs !== undefined) micro.coldStartSnapshotMs = parsed.snapshotMs;
    if (parsed.replayMs !== undefined) micro.coldStartReplayMs = parsed.replayMs;
    if (parsed.tailEvents !== undefined) micro.tailEvents = parsed.tailEvents;
    log(`cold start: ${coldOutput.trim()}`);
  } catch (error) {
    log(`cold-start failed: ${String(error)}`);
  }
  return micro;
}

/** This run's pairs against the recorded budget; a smoke run's seconds say nothing about it. */
function budgetCheck(smoke: boolean, current: Budget): Block {
  const title = "the turn path's budget (Parley's CPU per turn against the system beside it; bench/README.md):";
  if (smoke) return { title, lines: [] };
  const recorded = parseBudget(existsSync(BUDGET_FILE) ? readFileSync(BUDGET_FILE, "utf8") : null);
  if (recorded === null)
    return { title, lines: [`no readable ${relative(ROOT, BUDGET_FILE)} yet (a full run of ${FULL_ROUNDS} rounds with --record-budget records one)`] };
  return { title, lines: budgetLines(recorded, checkBudget(recorded, current)) };
}

/**
 * Every round of the plan. A full run interleaves the systems within each workload and round,
 * so the systems being compared are measured close together in time on a noisy machine; a smoke
 * run starts each system once for all its workloads.
 */
async function measureAll(options: BenchOptions, runId: string, sourceDir: string): Promise<WorkloadResult[]> {
  const applicable = (system: SystemName, workload: WorkloadName) => workload !== "socket" || SYSTEM_SPECS[system].socket !== undefined;
  const plan: { system: SystemName; workloads: WorkloadName[] }[] = options.smoke
    ? options.systems.map((system) => ({ system, workloads: options.workloads.filter((workload) => applicable(system, workload)) }))
    : options.workloads.flatMap((workload) =>
        options.systems.filter((system) => applicable(system, workload)).map((system) => ({ system, workloads: [workload] })),
      );
  const rounds = new Map<string, WorkloadResult[]>();
  for (let round = 1; round <= options.rounds; round++) {
    if (options.rounds > 1) log(`round ${round} of ${options.rounds}`);
    for (const step of plan) {
      if (step.workloads.length === 0) continue;
      for (const result of await measure(step.system, step.workloads, options, `${runId}r${round}`, sourceDir)) {
        const key = `${result.system}/${result.workload}`;
        rounds.set(key, [...(rounds.get(key) ?? []), result]);
      }
    }
  }
  return options.systems.flatMap((system) =>
    options.workloads.flatMap((workload) => {
      const measured = rounds.get(`${system}/${workload}`);
      return measured ? [combineRounds(measured)] : [];
    }),
  );
}

function parseOptions(): BenchOptions | null {
  try {
    return parseArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(error.message);
    return null;
  }
}

/** Where a run's results go: only a complete full run is the result; smoke and partial runs stay out of the repository. */
function resultsFile(options: BenchOptions, runId: string): string {
  const complete =
    !options.smoke &&
    options.rounds >= FULL_ROUNDS &&
    SYSTEMS.every((system) => options.systems.includes(system)) &&
    options.workloads.length === WORKLOADS.length;
  return join(ROOT, complete ? "bench/results.md" : options.smoke ? "bench/out/results-smoke.md" : `bench/out/results-${runId}.md`);
}

async function main(): Promise<number> {
  const options = parseOptions();
  if (options === null) return 2;
  const began = performance.now();
  const runId = `b${Date.now().toString(36)}`;
  const machine = machineInfo(ROOT);
  const source = copySource(ROOT, options.ref);
  cleanup = source.remove;
  log(`serving a copy of the ${source.describe}: ${source.dir}`);
  log(
    `${options.smoke ? "smoke" : "full"} run ${runId}: ${options.systems.join(", ")} × ${options.workloads.join(", ")}; ${options.rounds} round(s) of ${options.warmupS} s warm-up + ${options.durationS} s each, ${options.connections} connections`,
  );
  const results = await measureAll(options, runId, source.dir);
  source.remove();
  const micro = options.micro ? await microbenchmarks() : {};
  const elapsedS = (performance.now() - began) / 1000;
  const date = new Date().toISOString();
  const budget = budgetOf(results, date, source.describe);
  const blocks = [targetsBlock(targetVerdicts(results, micro), options), reportedBlock(results), billBlock(results), budgetCheck(options.smoke, budget)];
  console.log(formatTable(results));
  for (const block of blocks) if (block.lines.length > 0) console.log(`\n${blockText(block)}`);

  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`;
  const { durationS, warmupS, connections, rounds } = options;
  const markdown = resultsMarkdown({
    date,
    command,
    machine,
    source: source.describe,
    loadAverages,
    durationS,
    warmupS,
    connections,
    rounds,
    results,
    blocks,
    elapsedS,
  });
  const file = resultsFile(options, runId);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, markdown);
  // The budget moves only when asked: were each run to record it, a slow creep would pass every check.
  if (options.recordBudget) writeFileSync(BUDGET_FILE, `${JSON.stringify(budget, null, 2)}\n`);
  log(`wrote ${relative(ROOT, file)}${options.recordBudget ? ` and ${relative(ROOT, BUDGET_FILE)}` : ""} after ${elapsedS.toFixed(1)} s`);
  return results.some((result) => result.status === "failed") ? 1 : 0;
}

process.exitCode = await main();
