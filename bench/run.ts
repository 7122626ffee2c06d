/**
 * `npm run bench`: Parley, the baseline and the Agents SDK peer, each under `wrangler dev`
 * started the same way, driven from this process on loopback; one table, then the
 * microbenchmarks, then the ratios. See bench/README.md.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { SYSTEMS, UsageError, WORKLOADS, parseArgs } from "./args.js";
import type { BenchOptions, SystemName, WorkloadName } from "./args.js";
import { budgetLines, budgetOf, checkBudget, parseBudget } from "./budget.js";
import type { Budget } from "./budget.js";
import { machineInfo } from "./machine.js";
import { combineRounds, formatTable, microLines, ratioLines, resultsMarkdown } from "./report.js";
import type { MicroResults, WorkloadResult } from "./report.js";
import { resetErrorReports } from "./load.js";
import { startSystem } from "./runtime.js";
import type { RunningSystem } from "./runtime.js";
import { copySource } from "./source.js";
import { SYSTEM_SPECS } from "./systems.js";
import { NotAvailable, workloadFor } from "./workloads.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
/** The turn path's recorded budget (budget.ts): written only by a run with --record-budget. */
const BUDGET_FILE = join(ROOT, "bench/budget.json");
const run = promisify(execFile);

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

function emptyResult(system: SystemName, workload: WorkloadName, status: WorkloadResult["status"], note: string, peakRssMiB = 0): WorkloadResult {
  return { system, workload, status, note, turns: 0, errors: 0, errorKinds: {}, seconds: 0, turnsPerS: Number.NaN, p50Ms: Number.NaN, p99Ms: Number.NaN, cpuMsPerTurn: Number.NaN, proxyCpuMsPerTurn: Number.NaN, hostCpuMsPerTurn: Number.NaN, peakRssMiB, users: 0 };
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

/**
 * One system under one `wrangler dev` with fresh storage, running the given workloads in turn.
 * A full run gives every workload its own instance (clean memory figures); a smoke run shares
 * one per system to stay short. Peak RSS is the instance's peak up to the end of the workload.
 */
async function measure(system: SystemName, workloadNames: readonly WorkloadName[], options: BenchOptions, runId: string, sourceDir: string): Promise<WorkloadResult[]> {
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
  for (const workload of workloads) {
    resetErrorReports();
    try {
      const { stats, users } = await workload.run(running);
      const status = stats.turns > 0 ? "ok" : "failed";
      log(`${system} ${workload.name}: ${stats.turnsPerS.toFixed(0)} turns/s, p50 ${stats.p50Ms.toFixed(2)} ms, p99 ${stats.p99Ms.toFixed(2)} ms, CPU/turn ${stats.cpuMsPerTurn.toFixed(2)} ms + ${stats.proxyCpuMsPerTurn.toFixed(2)} ms dev proxy + ${stats.hostCpuMsPerTurn.toFixed(2)} ms wrangler, ${stats.errors} errors ${stats.errors ? JSON.stringify(stats.errorKinds) : ""}`);
      results.push({ system, workload: workload.name, status, ...(status === "failed" ? { note: "no turn succeeded" } : {}), ...stats, peakRssMiB: running.peakRssMiB(), users });
    } catch (error) {
      if (error instanceof NotAvailable) {
        log(`${system} ${workload.name}: not available (${error.message})`);
        results.push(emptyResult(system, workload.name, "n/a", "not available"));
      } else {
        log(`${system} ${workload.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n${running.logTail().trim()}`);
        results.push(emptyResult(system, workload.name, "failed", error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error), running.peakRssMiB()));
      }
    }
  }
  const peak = await running.stop();
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
    const parsed = JSON.parse(coldOutput.trim().split("\n").at(-1) ?? "{}") as { snapshotMs?: number; replayMs?: number; tailEvents?: number; snapshotFirstMs?: number };
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
function budgetCheck(smoke: boolean, current: Budget): string[] {
  if (smoke) return [];
  const recorded = parseBudget(existsSync(BUDGET_FILE) ? readFileSync(BUDGET_FILE, "utf8") : null);
  if (recorded === null) return [`budget: no readable ${relative(ROOT, BUDGET_FILE)} yet (a full run of three rounds with --record-budget records one)`];
  return budgetLines(recorded, checkBudget(recorded, current));
}

async function main(): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  const began = performance.now();
  const runId = `b${Date.now().toString(36)}`;
  const machine = machineInfo(ROOT);
  const source = copySource(ROOT, options.ref);
  cleanup = source.remove;
  log(`serving a copy of the ${source.describe}: ${source.dir}`);
  log(`${options.smoke ? "smoke" : "full"} run ${runId}: ${options.systems.join(", ")} × ${options.workloads.join(", ")}; ${options.warmupS} s warm-up + ${options.durationS} s each, ${options.connections} connections`);

  // Full run: systems interleaved within each workload and round, so the systems being compared
  // are measured close together in time on a noisy machine, and the median round damps drift.
  const applicable = (system: SystemName, workload: WorkloadName) => workload !== "socket" || SYSTEM_SPECS[system].socket !== undefined;
  const plan: { system: SystemName; workloads: WorkloadName[] }[] = options.smoke
    ? options.systems.map((system) => ({ system, workloads: options.workloads.filter((workload) => applicable(system, workload)) }))
    : options.workloads.flatMap((workload) => options.systems.filter((system) => applicable(system, workload)).map((system) => ({ system, workloads: [workload] })));
  const rounds = new Map<string, WorkloadResult[]>();
  for (let round = 1; round <= options.rounds; round++) {
    if (options.rounds > 1) log(`round ${round} of ${options.rounds}`);
    for (const step of plan) {
      if (step.workloads.length === 0) continue;
      for (const result of await measure(step.system, step.workloads, options, `${runId}r${round}`, source.dir)) {
        const key = `${result.system}/${result.workload}`;
        rounds.set(key, [...(rounds.get(key) ?? []), result]);
      }
    }
  }
  const results: WorkloadResult[] = [];
  for (const system of options.systems) {
    for (const workload of options.workloads) {
      const measured = rounds.get(`${system}/${workload}`);
      if (measured) results.push(combineRounds(measured));
    }
  }
  source.remove();
  const micro = options.micro ? await microbenchmarks() : {};
  const elapsedS = (performance.now() - began) / 1000;

  console.log(formatTable(results));
  console.log("");
  for (const line of microLines(micro)) console.log(line);
  for (const line of ratioLines(results)) console.log(line);
  const date = new Date().toISOString();
  const budget = budgetOf(results, date, source.describe);
  const budgetReport = budgetCheck(options.smoke, budget);
  for (const line of budgetReport) console.log(line);

  const markdown = resultsMarkdown({
    date,
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`,
    machine,
    source: source.describe,
    loadAverages,
    durationS: options.durationS,
    warmupS: options.warmupS,
    connections: options.connections,
    rounds: options.rounds,
    results,
    micro,
    budget: budgetReport,
    elapsedS,
  });
  // Only a complete full run is the result; smoke, partial and probe runs stay out of the repository.
  const complete = !options.smoke && SYSTEMS.every((system) => options.systems.includes(system)) && options.systems.length === SYSTEMS.length && options.workloads.length === WORKLOADS.length;
  const file = join(ROOT, complete ? "bench/results.md" : options.smoke ? "bench/out/results-smoke.md" : `bench/out/results-${runId}.md`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, markdown);
  // The budget moves only when asked: were each run to record it, a slow creep would pass every check.
  if (options.recordBudget) writeFileSync(BUDGET_FILE, `${JSON.stringify(budget, null, 2)}\n`);
  log(`wrote ${relative(ROOT, file)}${options.recordBudget ? ` and ${relative(ROOT, BUDGET_FILE)}` : ""} after ${elapsedS.toFixed(1)} s`);
  return results.some((result) => result.status === "failed") ? 1 : 0;
}

process.exitCode = await main();
