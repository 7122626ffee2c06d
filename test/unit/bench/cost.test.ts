import { describe, expect, it } from "vitest";
import { OBJECT_MEMORY_GB, PRICES, billBlock, billPerMillionTurns, turnUsage } from "../../../bench/cost.js";
import { result } from "./result.js";

describe("turnUsage", () => {
  it("bills every request sent per successful turn, the runtime's CPU, the alarms and the rows counted", () => {
    const usage = turnUsage(result({ system: "parley", workload: "cold", turns: 1000, errors: 10, cpuMsPerTurn: 3.5, rowsPerTurn: 9.5, alarmsPerTurn: 0.02 }));
    expect(usage.workerRequests).toBeCloseTo(1.01, 10);
    expect(usage.workerCpuMs).toBe(3.5);
    expect(usage.objectRequests).toBeCloseTo(1.03, 10);
    expect(usage.objectSeconds).toBeCloseTo(0.0035, 10);
    expect(usage.rowsWritten).toBe(9.5);
  });

  it("leaves rows written unmeasured when they were not counted", () => {
    expect(turnUsage(result({ system: "parley", workload: "steady" })).rowsWritten).toBeNaN();
  });
});

describe("billPerMillionTurns", () => {
  it("prices a million turns at the published rates", () => {
    const bill = billPerMillionTurns({ workerRequests: 1, workerCpuMs: 2, objectRequests: 1, objectSeconds: 0.004, rowsWritten: 8 });
    expect(bill.workerRequests).toBeCloseTo(0.3, 10); // $0.30 per million requests
    expect(bill.workerCpu).toBeCloseTo(0.04, 10); // 2 million CPU ms at $0.02 per million
    expect(bill.objectRequests).toBeCloseTo(0.15, 10);
    expect(bill.objectDuration).toBeCloseTo((4000 * 0.125 * 12.5) / 1e6, 12); // 4,000 s × 128 MB = 500 GB-s
    expect(bill.rowsWritten).toBeCloseTo(8, 10); // $1.00 per million rows
    expect(bill.total).toBeCloseTo(0.3 + 0.04 + 0.15 + 0.00625 + 8, 10);
    expect(OBJECT_MEMORY_GB).toBe(0.125);
    expect(PRICES.rowsWritten).toBe(1);
  });

  it("has no total when a part was not measured", () => {
    expect(billPerMillionTurns({ workerRequests: 1, workerCpuMs: 1, objectRequests: 1, objectSeconds: 0.001, rowsWritten: Number.NaN }).total).toBeNaN();
  });
});

describe("billBlock", () => {
  it("prints Parley's steady and cold bills with what each part is made of", () => {
    const block = billBlock([
      result({ system: "parley", workload: "steady", turns: 1000, errors: 0, cpuMsPerTurn: 1.2, rowsPerTurn: 8.1, alarmsPerTurn: 0 }),
      result({ system: "baseline", workload: "steady" }),
      result({ system: "parley", workload: "cold", cpuMsPerTurn: 3 }),
    ]);
    expect(block.lines).toEqual([
      "steady: $8.58 = Worker requests $0.300 (1.000/turn) + Worker CPU $0.024 (1.20 ms/turn) + DO requests $0.150 (1.000/turn) + DO duration $0.002 (128 MB × 1.20 ms/turn) + rows written $8.100 (8.10/turn)",
      "cold: not measured = Worker requests $0.300 (1.000/turn) + Worker CPU $0.060 (3.00 ms/turn) + DO requests $0.150 (1.000/turn) + DO duration $0.005 (128 MB × 3.00 ms/turn) + rows written not measured (–/turn)",
    ]);
  });
});
