/**
 * One system under one workload, for the diagnostics (`profile.ts`, `timeline.ts`): the system
 * named first on the command line (default parley), the benchmark's own flags for the rest,
 * served from a private copy of the source like a measured run.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ALL_SYSTEMS, parseArgs } from "./args.js";
import type { SystemName, WorkloadName } from "./args.js";
import { freePort, startSystem } from "./runtime.js";
import type { RunningSystem } from "./runtime.js";
import { copySource } from "./source.js";
import { SYSTEM_SPECS } from "./systems.js";
import { workloadFor } from "./workloads.js";
import type { Workload } from "./workloads.js";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

export interface SingleSystem {
  system: SystemName;
  workloadName: WorkloadName;
  /** prepared: its tokens are minted */
  workload: Workload;
  running: RunningSystem;
  /** set when the inspector was asked for */
  inspectorPort?: number;
  /** stops the system and removes the served copy (also on SIGINT/SIGTERM) */
  stop(): Promise<void>;
}

export async function startSingleSystem(argv: readonly string[], { inspector, defaultWorkload }: { inspector: boolean; defaultWorkload: WorkloadName }): Promise<SingleSystem> {
  const system = (ALL_SYSTEMS as readonly string[]).includes(argv[0] ?? "") ? (argv[0] as SystemName) : "parley";
  const options = parseArgs(argv.filter((arg) => arg !== system));
  const workloadName = options.workloads.length === 1 ? (options.workloads[0] ?? defaultWorkload) : defaultWorkload;
  const spec = SYSTEM_SPECS[system];
  const workload = workloadFor(workloadName, options, `${workloadName}${Date.now().toString(36)}`, spec);
  await workload.prepare();
  const inspectorPort = inspector ? await freePort() : undefined;
  const source = copySource(ROOT, options.ref);
  spec.derive?.(source.dir);
  const running = await startSystem(spec.config, source.dir, inspectorPort === undefined ? {} : { inspectorPort });
  const stop = async () => {
    await running.stop();
    source.remove();
  };
  process.once("SIGINT", () => void stop().finally(() => process.exit(130)));
  process.once("SIGTERM", () => void stop().finally(() => process.exit(130)));
  return { system, workloadName, workload, running, ...(inspectorPort === undefined ? {} : { inspectorPort }), stop };
}
