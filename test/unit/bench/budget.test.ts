import { describe, expect, it } from "vitest";
import type { Budget } from "../../../bench/budget.js";
import { budgetLines, budgetOf, checkBudget, parseBudget } from "../../../bench/budget.js";
import { result } from "./result.js";

const recorded: Budget = {
  measuredAt: "2026-11-26T14:16:54.044Z",
  source: "HEAD (c7267c5)",
  shape: "production",
  entries: [
    { workload: "steady", against: "baseline", cpuPerTurn: 2, turnsPerS: 0.6 },
    { workload: "cold", against: "baseline", cpuPerTurn: 1.6, turnsPerS: 0.72 },
    { workload: "socket", against: "peer", cpuPerTurn: 1.8, turnsPerS: 0.64 },
  ],
};

describe("budgetOf", () => {
  it("keeps Parley's CPU per turn and turns/s against the system measured beside it, per pair the run measured", () => {
    const budget = budgetOf(
      [
        result({ system: "parley", workload: "steady", cpuMsPerTurn: 1.5, turnsPerS: 600 }),
        result({ system: "baseline", workload: "steady", cpuMsPerTurn: 0.75, turnsPerS: 1000 }),
        result({ system: "parley", workload: "socket", cpuMsPerTurn: 0.6 }),
        result({ system: "baseline", workload: "cold", cpuMsPerTurn: 2.5 }),
      ],
      "2026-11-27T00:00:00Z",
      "working tree at abc1234",
    );
    // socket has no peer in this run and cold no Parley: neither pair is in the budget.
    expect(budget).toEqual({
      measuredAt: "2026-11-27T00:00:00Z",
      source: "working tree at abc1234",
      shape: "production",
      entries: [{ workload: "steady", against: "baseline", cpuPerTurn: 2, turnsPerS: 0.6 }],
    });
  });

  it("leaves out a pair whose other side failed", () => {
    const budget = budgetOf(
      [result({ system: "parley", workload: "steady" }), result({ system: "baseline", workload: "steady", status: "failed", cpuMsPerTurn: Number.NaN })],
      "t",
      "s",
    );
    expect(budget.entries).toEqual([]);
  });
});

describe("checkBudget and budgetLines", () => {
  it("passes a ratio that moved within its tolerance and flags one past it", () => {
    const current: Budget = {
      measuredAt: "t",
      source: "s",
      entries: [
        { workload: "steady", against: "baseline", cpuPerTurn: 2.4, turnsPerS: 0.55 },
        { workload: "cold", against: "baseline", cpuPerTurn: 1.9, turnsPerS: 0.7 },
        { workload: "socket", against: "peer", cpuPerTurn: 1.5, turnsPerS: 0.8 },
      ],
    };
    const checks = checkBudget(recorded, current);
    expect(checks.map(({ current: entry, over }) => [entry.workload, over])).toEqual([
      ["steady", true], // +20 % past 15 %
      ["cold", false], // +18.75 %, within cold's 25 %
      ["socket", false], // cheaper than recorded
    ]);
    const lines = budgetLines(recorded, checks);
    expect(lines[0]).toBe("budget: against the run recorded 2026-11-26T14:16:54.044Z (HEAD (c7267c5)):");
    expect(lines[1]).toBe(
      "budget steady: Parley/baseline CPU/turn ×2.40, recorded ×2.00 (+20.0 %; turns/s ×0.55, recorded ×0.60): OVER BUDGET (tolerance +15.0 %) — run it again; if it holds, fix it before the change is resolved",
    );
    expect(lines[3]).toBe(
      "budget socket: Parley/peer CPU/turn ×1.50, recorded ×1.80 (-16.7 %; turns/s ×0.80, recorded ×0.64): within budget (tolerance +15.0 %)",
    );
  });

  it("checks only the pairs both runs measured, and says so when there are none", () => {
    const steadyOnly: Budget = { measuredAt: "t", source: "s", entries: [{ workload: "steady", against: "baseline", cpuPerTurn: 2.1, turnsPerS: 0.6 }] };
    expect(checkBudget(recorded, steadyOnly).map((check) => check.current.workload)).toEqual(["steady"]);
    const none = budgetLines(recorded, checkBudget(recorded, { measuredAt: "t", source: "s", entries: [] }));
    expect(none).toEqual([
      "budget: against the run recorded 2026-11-26T14:16:54.044Z (HEAD (c7267c5)): this run measured none of its pairs (parley with baseline or peer)",
    ]);
  });
});

describe("a record from before production shape", () => {
  it("is still read and checked, with a line saying it is not like for like", () => {
    const { shape: _shape, ...older } = recorded;
    const parsed = parseBudget(JSON.stringify(older));
    expect(parsed).not.toBeNull();
    if (parsed === null) return;
    const current: Budget = { ...recorded, entries: [{ workload: "steady", against: "baseline", cpuPerTurn: 1.8, turnsPerS: 0.7 }] };
    const lines = budgetLines(parsed, checkBudget(parsed, current));
    expect(lines[1]).toContain("predates production shape");
    expect(lines[2]).toContain("budget steady: Parley/baseline CPU/turn ×1.80, recorded ×2.00 (-10.0 %");
  });
});

describe("parseBudget", () => {
  it("reads what budgetOf wrote, and nothing else", () => {
    expect(parseBudget(JSON.stringify(recorded))).toEqual(recorded);
    expect(parseBudget(null)).toBeNull();
    expect(parseBudget("{not json")).toBeNull();
    expect(parseBudget(JSON.stringify({ ...recorded, entries: [{ workload: "steady", against: "baseline", cpuPerTurn: -1, turnsPerS: 1 }] }))).toBeNull();
    expect(parseBudget(JSON.stringify({ entries: [] }))).toBeNull();
  });
});
