/**
 * `npm run chaos`: Parley under faults, driven from outside as a user would (issue 23).
 *
 *   npm run chaos                       # every fault, writes docs/reliability.md
 *   npm run chaos -- --smoke            # the short version CI runs; exit 1 on any violation
 *   npm run chaos -- --only crash,races --seed 42
 *   npm run chaos -- --soak-minutes 10  # then mixed load, memory and p99 per minute
 *
 * Starts `npm run dev` on a free loopback port with its own persisted state, runs each fault,
 * checks the invariants through the API only, and prints one row of figures per fault.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { freePort } from "../bench/runtime.js";
import { ParleyApi } from "./api.js";
import { parseChaosArgs } from "./args.js";
import { DevServer } from "./dev.js";
import { startFakes } from "./fakes.js";
import type { ChaosContext, Fault } from "./fault.js";
import { FAULTS } from "./faults/index.js";
import { soak } from "./faults/soak.js";
import type { FaultFigures } from "./figures.js";
import { Tally, failures, figuresOf } from "./figures.js";
import { writeReliabilityDoc } from "./reliability-doc.js";
import { figuresNotes, figuresTable } from "./table.js";

const ROOT = resolve(import.meta.dirname, "..");

/** `--only soak --soak-minutes N`: no fault, only the soak, on a fresh runtime. */
const SOAK_ONLY = "soak";

/** The longest a run may take: the faults' own bounds, the soak, and a margin. */
function boundMinutes(args: { smoke: boolean; soakMinutes: number }): number {
  return (args.smoke ? 6 : 25) + args.soakMinutes;
}

/** A fault that throws is a failed row, not the end of the run: the other faults still run. */
async function runFault(fault: Fault, context: ChaosContext): Promise<FaultFigures> {
  const started = Date.now();
  try {
    return await fault.run(context);
  } catch (error) {
    const tally = new Tally();
    tally.broke(`${fault.name} could not finish: ${error instanceof Error ? error.message : String(error)}`);
    return figuresOf(fault.name, "stopped by an error", tally, (Date.now() - started) / 1000);
  }
}

async function main(): Promise<number> {
  const args = parseChaosArgs(process.argv.slice(2));
  const unknown = args.only.filter((name) => name !== SOAK_ONLY && !FAULTS.some((fault) => fault.name === name));
  if (unknown.length > 0) throw new Error(`unknown fault ${unknown.join(", ")}; known: ${FAULTS.map((fault) => fault.name).join(", ")}, ${SOAK_ONLY}`);
  if (args.only.includes(SOAK_ONLY) && args.soakMinutes === 0) throw new Error(`--only ${SOAK_ONLY} needs --soak-minutes N`);
  // `--only` runs the faults in the order given: a finding that depends on what ran before can be replayed.
  const faults = args.only.length === 0 ? FAULTS : args.only.flatMap((name) => FAULTS.filter((fault) => fault.name === name));
  const persistDir = mkdtempSync(join(tmpdir(), "parley-chaos-"));
  const port = await freePort();
  const fakes = await startFakes(`http://127.0.0.1:${port}`);
  const dev = new DevServer({ root: ROOT, port, inspectorPort: await freePort(), persistDir, vars: { LOG_LEVEL: "warn", ...fakes.vars } });
  console.log(`[chaos] seed ${args.seed}; state and logs in ${persistDir}`);
  // Never leave a dev server behind: stop it on Ctrl-C, on a kill, and when the run overstays its bound.
  const abort = (why: string) => {
    console.error(`[chaos] ${why}: stopping the dev server`);
    fakes.stop();
    void dev.stop().finally(() => process.exit(2));
  };
  process.once("SIGINT", () => abort("interrupted"));
  process.once("SIGTERM", () => abort("terminated"));
  const watchdog = setTimeout(() => abort(`over the ${boundMinutes(args)} minutes this run may take`), boundMinutes(args) * 60_000);
  watchdog.unref();
  await dev.start();
  const api = new ParleyApi(dev.origin, 64);
  const context: ChaosContext = { dev, api, smoke: args.smoke, seed: args.seed, runId: `c${args.seed}` };
  const rows: FaultFigures[] = [];
  const started = Date.now();
  try {
    for (const fault of faults) {
      console.log(`[chaos] ${fault.name}…`);
      const row = await runFault(fault, context);
      rows.push(row);
      console.log(figuresTable([row]).split("\n").at(-1));
    }
    if (args.soakMinutes > 0) {
      console.log(`[chaos] soak for ${args.soakMinutes} minutes…`);
      rows.push((await soak(context, { minutes: args.soakMinutes, without: args.soakWithout }, join(ROOT, "docs"))).figures);
      console.log(figuresTable(rows.slice(-1)).split("\n").at(-1));
    }
  } finally {
    await dev.stop();
    fakes.stop();
    await api.close();
  }
  console.log(`\n${figuresTable(rows)}\n\n${figuresNotes(rows)}\n`);
  const broken = rows.reduce((sum, row) => sum + failures(row), 0);
  const chart = args.soakMinutes > 0 ? "\n![The soak: p99 and the runtime's memory per minute](reliability-soak.svg)\n" : "";
  if (args.writeDoc) writeReliabilityDoc(ROOT, rows, { seed: args.seed, smoke: args.smoke, seconds: (Date.now() - started) / 1000 }, chart);
  const runtime5xx = rows.reduce((sum, row) => sum + row.runtime5xx, 0);
  // The logs are kept for a violation, and for the runtime's 5xx of a full run (the cold burst's evidence).
  if (broken === 0 && (args.smoke || runtime5xx === 0)) rmSync(persistDir, { recursive: true, force: true });
  else console.log(`[chaos] ${broken} violations, ${runtime5xx} runtime 5xx; the state and logs (dev.log, wrangler-logs/) are kept in ${persistDir}`);
  return broken === 0 ? 0 : 1;
}

process.exitCode = await main();
