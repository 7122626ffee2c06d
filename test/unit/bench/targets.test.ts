import { describe, expect, it } from "vitest";
import { combineRounds } from "../../../bench/report.js";
import { reportedBlock, targetVerdicts, targetsBlock, verdictOf } from "../../../bench/targets.js";
import { result } from "./result.js";

const results = [
  result({ system: "parley", workload: "steady", turnsPerS: 800, p99Ms: 30, cpuMsPerTurn: 2 }),
  result({ system: "baseline", workload: "steady", turnsPerS: 1000, p99Ms: 15, cpuMsPerTurn: 1 }),
  result({ system: "peer", workload: "steady", turnsPerS: 400, p99Ms: 60 }),
  result({ system: "parley", workload: "cold", turnsPerS: 696.6, p99Ms: 100 }),
  result({ system: "baseline", workload: "cold", turnsPerS: 1000, p99Ms: 100 }),
  result({ system: "peer", workload: "cold", turnsPerS: 400, p99Ms: 200, cpuMsPerTurn: 3 }),
  result({ system: "parley", workload: "socket" }),
  result({ system: "peer", workload: "socket", status: "failed", note: "boom" }),
];
const micro = { stepMedianUs: 42.04, coldStartSnapshotMs: 1.5, coldStartReplayMs: 18, tailEvents: 150 };

describe("targetVerdicts", () => {
  it("measures every target of issue 18, Parley against the peer on cold only", () => {
    const verdicts = targetVerdicts(results, micro);
    expect(verdicts.map(({ target, value }) => [target, Number(value.toFixed(4))])).toEqual([
      ["Parley ≥ 0.7 × baseline turns/s, steady", 0.8],
      ["Parley ≥ 0.7 × baseline turns/s, cold", 0.6966],
      ["Parley p99 ≤ 1.5 × baseline p99, steady", 2],
      ["Parley p99 ≤ 1.5 × baseline p99, cold", 1],
      ["Parley ≥ 1.5 × peer turns/s, cold", 1.7415],
      ["dialog step median < 100 µs", 42.04],
      ["10,000-event cold start < 25 ms", 1.5],
    ]);
    expect(verdicts.map(verdictOf)).toEqual(["met", "MISSED", "MISSED", "met", "met", "met", "met"]);
  });

  it("says 'not measured' for what the run left out", () => {
    const verdicts = targetVerdicts(
      [results[0], results[1]].flatMap((entry) => (entry ? [entry] : [])),
      {},
    );
    expect(verdicts.map(verdictOf)).toEqual(["met", "not measured", "MISSED", "not measured", "not measured", "not measured", "not measured"]);
  });

  it("judges the median of the round-by-round ratios", () => {
    const rounds = (system: "parley" | "baseline", turns: number[]) => combineRounds(turns.map((turnsPerS) => result({ system, workload: "cold", turnsPerS })));
    const [, cold] = targetVerdicts([rounds("parley", [198, 201, 148]), rounds("baseline", [312, 260, 239])], {});
    expect(cold?.value).toBeCloseTo(198 / 312, 5); // the medians' ratio, 0.76, would say met
  });
});

describe("targetsBlock", () => {
  it("prints each target, its value and its verdict, aligned", () => {
    const block = targetsBlock(targetVerdicts(results, micro), { rounds: 3, smoke: false });
    expect(block.title).toBe("targets (production shape; judged over 3 rounds by the median of the round ratios):");
    expect(block.lines).toEqual([
      "Parley ≥ 0.7 × baseline turns/s, steady:   ×0.80  met",
      "Parley ≥ 0.7 × baseline turns/s, cold:    ×0.697  MISSED",
      "Parley p99 ≤ 1.5 × baseline p99, steady:   ×2.00  MISSED",
      "Parley p99 ≤ 1.5 × baseline p99, cold:     ×1.00  met",
      "Parley ≥ 1.5 × peer turns/s, cold:         ×1.74  met",
      "dialog step median < 100 µs:             42.0 µs  met",
      "10,000-event cold start < 25 ms:         1.50 ms  met (snapshot + 150-event tail; full replay 18.00 ms)",
    ]);
  });

  it("says when a run is too short to judge", () => {
    expect(targetsBlock([], { rounds: 1, smoke: true }).title).toContain("a smoke run: seconds of load, no verdict");
    expect(targetsBlock([], { rounds: 1, smoke: false }).title).toContain("1 round: indicative only");
    expect(targetsBlock([], { rounds: 2, smoke: false }).title).toContain("2 rounds: indicative only");
  });
});

describe("reportedBlock", () => {
  it("reports CPU per turn against the baseline, and Parley against the peer where no target applies", () => {
    expect(reportedBlock(results).lines).toEqual([
      "Parley/baseline steady: CPU/turn ×2.00",
      "Parley/baseline cold: CPU/turn ×1.00",
      "Parley/peer steady: turns/s ×2.00, p99 ×0.50, CPU/turn ×1.33",
      "Parley/peer cold: p99 ×0.50, CPU/turn ×0.50",
    ]);
  });
});
