import type { WorkloadResult } from "../../../bench/report.js";

/** A successful result with plain figures; the test names what differs. */
export function result(partial: Partial<WorkloadResult> & Pick<WorkloadResult, "system" | "workload">): WorkloadResult {
  return {
    status: "ok",
    turns: 1000,
    errors: 0,
    errorKinds: {},
    seconds: 20,
    turnsPerS: 50,
    p50Ms: 10,
    p99Ms: 20,
    cpuMsPerTurn: 1.5,
    proxyCpuMsPerTurn: 0.5,
    hostCpuMsPerTurn: 0.25,
    peakRssMiB: 100,
    users: 1000,
    ...partial,
  };
}
