/**
 * Where a system's time goes: runs the steady workload against one system with the V8 CPU
 * profiler of its Worker attached (through wrangler's inspector), then prints the functions
 * with the most self time and writes the .cpuprofile (open it in Chrome DevTools).
 *   npx tsx bench/profile.ts [parley|baseline|peer] [--duration S] [--workloads steady|cold|socket]
 * Profiling slows the Worker down: read the shares, not the throughput.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Inspector } from "./inspector.js";
import { ROOT, startSingleSystem } from "./single-system.js";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples?: number[];
  startTime: number;
  endTime: number;
}

/** Self time per function (ms), highest first. */
export function selfTimes(profile: CpuProfile): { name: string; ms: number; share: number }[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const hits = new Map<number, number>();
  for (const sample of profile.samples ?? []) hits.set(sample, (hits.get(sample) ?? 0) + 1);
  const total = profile.samples?.length ?? 0;
  const interval = total > 0 ? (profile.endTime - profile.startTime) / 1000 / total : 0;
  const byName = new Map<string, number>();
  for (const [id, count] of hits) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    const file = frame.url.split("/").slice(-2).join("/");
    const name = `${frame.functionName || "(anonymous)"} ${file}${file ? `:${frame.lineNumber + 1}` : ""}`;
    byName.set(name, (byName.get(name) ?? 0) + count);
  }
  return [...byName.entries()]
    .map(([name, count]) => ({ name, ms: count * interval, share: total > 0 ? count / total : 0 }))
    .sort((a, b) => b.ms - a.ms);
}

async function main(argv: readonly string[]): Promise<void> {
  const { system, workloadName, workload, running, inspectorPort, stop } = await startSingleSystem(argv, { inspector: true, defaultWorkload: "steady" });
  try {
    // wrangler may still swap the Worker's isolate just after it answers: let it settle first.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const inspector = await Inspector.connect(`ws://127.0.0.1:${inspectorPort}/ws`);
    await inspector.send("Profiler.enable");
    await inspector.send("Profiler.setSamplingInterval", { interval: 1000 });
    await inspector.send("Profiler.start");
    const { stats } = await workload.run(running);
    const stopped = (await inspector.send("Profiler.stop")) as { profile?: CpuProfile };
    inspector.close();
    const profile = stopped.profile;
    if (!profile) throw new Error("the inspector returned no profile");
    const file = join(ROOT, `bench/out/${system}-${workloadName}.cpuprofile`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(profile));
    console.log(`${system} ${workloadName} (profiled): ${stats.turnsPerS.toFixed(0)} turns/s, p50 ${stats.p50Ms.toFixed(1)} ms, ${stats.errors} errors`);
    console.log(`self time, top 40 of the Worker's isolate (${file}):`);
    for (const entry of selfTimes(profile).slice(0, 40)) {
      console.log(`${(entry.share * 100).toFixed(1).padStart(5)}%  ${entry.ms.toFixed(0).padStart(6)} ms  ${entry.name}`);
    }
  } finally {
    await stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main(process.argv.slice(2));
