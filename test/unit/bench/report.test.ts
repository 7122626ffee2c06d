import { describe, expect, it } from "vitest";
import { blockText, combineRounds, formatTable, pairedRatio, pipeTable, resultsMarkdown } from "../../../bench/report.js";
import { result } from "./result.js";

describe("pipeTable", () => {
  it("pads every column to its widest cell and marks right-aligned columns", () => {
    const table = pipeTable(
      ["a", "num"],
      [
        ["long cell", "1"],
        ["x", "12345"],
      ],
      [false, true],
    );
    expect(table.split("\n")).toEqual(["| a         |   num |", "|-----------|------:|", "| long cell |     1 |", "| x         | 12345 |"]);
  });
});

describe("formatTable", () => {
  it("prints one row per system and workload, with error kinds and n/a rows", () => {
    const table = formatTable([
      result({ system: "parley", workload: "steady", turnsPerS: 1234.4, p50Ms: 1.234, p99Ms: 9.876, errors: 3, errorKinds: { "http 429": 2, timeout: 1 } }),
      result({ system: "parley", workload: "socket", status: "n/a", note: "not available", peakRssMiB: 0 }),
    ]);
    const lines = table.split("\n");
    expect(lines).toHaveLength(4);
    expect(lines[2]).toContain("1234");
    expect(lines[2]).toContain("1.23");
    expect(lines[2]).toContain("9.88");
    expect(lines[2]).toContain("3 (http 429: 2, timeout: 1)");
    expect(lines[3]).toContain("n/a (not available)");
  });
});

describe("blockText and resultsMarkdown", () => {
  const results = [result({ system: "parley", workload: "steady" }), result({ system: "baseline", workload: "steady" })];
  const targets = { title: "targets:", lines: ["Parley ≥ 0.7 × baseline turns/s, steady: ×1.00  met"] };

  it("indents a block's lines under its title in the terminal", () => {
    expect(blockText(targets)).toBe("targets:\n  Parley ≥ 0.7 × baseline turns/s, steady: ×1.00  met");
  });

  it("writes the machine, versions, production shape, table and every block with lines", () => {
    const markdown = resultsMarkdown({
      date: "2026-01-01T00:00:00Z",
      command: "npm run bench",
      machine: {
        cpus: 2,
        cpuModel: "AMD EPYC",
        memoryGiB: 24,
        node: "v20.20.2",
        wrangler: "4.86.0",
        workerd: "1.2",
        miniflare: "4.2",
        agents: "0.32.0",
        platform: "linux x64",
      },
      source: "working tree at abc1234",
      durationS: 20,
      warmupS: 5,
      connections: 64,
      rounds: 3,
      results,
      blocks: [targets, { title: "reported, not targeted:", lines: [] }, { title: "budget:", lines: ["budget steady: within budget"] }],
      elapsedS: 300,
    });
    expect(markdown).toContain("2 × AMD EPYC");
    expect(markdown).toContain("wrangler 4.86.0");
    expect(markdown).toContain("minus `[assets]`");
    expect(markdown).toContain("LOG_LEVEL at info");
    expect(markdown).toContain("3 rounds with the systems interleaved");
    expect(markdown).toContain("| Parley ");
    expect(markdown).not.toContain("reported, not targeted");
    expect(markdown.trimEnd().split("\n").slice(-7)).toEqual([
      "targets:",
      "",
      "- Parley ≥ 0.7 × baseline turns/s, steady: ×1.00  met",
      "",
      "budget:",
      "",
      "- budget steady: within budget",
    ]);
  });
});

describe("combineRounds", () => {
  it("takes the median of rates and latencies, sums turns and errors, keeps the highest memory", () => {
    const combined = combineRounds([
      result({ system: "peer", workload: "cold", turnsPerS: 100, p50Ms: 5, p99Ms: 50, turns: 2000, errors: 1, errorKinds: { timeout: 1 }, peakRssMiB: 300 }),
      result({ system: "peer", workload: "cold", turnsPerS: 300, p50Ms: 1, p99Ms: 10, turns: 6000, errors: 0, peakRssMiB: 200 }),
      result({
        system: "peer",
        workload: "cold",
        turnsPerS: 200,
        p50Ms: 3,
        p99Ms: 30,
        turns: 4000,
        errors: 2,
        errorKinds: { timeout: 1, "http 500": 1 },
        peakRssMiB: 250,
      }),
    ]);
    expect(combined).toMatchObject({ status: "ok", turnsPerS: 200, p50Ms: 3, p99Ms: 30, turns: 12_000, errors: 3, peakRssMiB: 300, rounds: 3 });
    expect(combined.errorKinds).toEqual({ timeout: 2, "http 500": 1 });
    expect(combined.rowsPerTurn).toBeUndefined();
  });

  it("takes the median of the rows written per turn over the rounds that counted them", () => {
    const combined = combineRounds([
      result({ system: "parley", workload: "cold", rowsPerTurn: 9, alarmsPerTurn: 0 }),
      result({ system: "parley", workload: "cold" }),
      result({ system: "parley", workload: "cold", rowsPerTurn: 11, alarmsPerTurn: 0.1 }),
    ]);
    expect(combined.rowsPerTurn).toBe(10);
    expect(combined.alarmsPerTurn).toBeCloseTo(0.05, 10);
  });

  it("a failed round fails the result", () => {
    const combined = combineRounds([
      result({ system: "peer", workload: "cold" }),
      result({ system: "peer", workload: "cold", status: "failed", note: "boom" }),
    ]);
    expect(combined.status).toBe("failed");
    expect(combined.note).toBe("boom");
  });
});

describe("ratios over rounds", () => {
  const rounds = (system: "parley" | "baseline", figures: [number, number][]) =>
    combineRounds(figures.map(([turnsPerS, cpuMsPerTurn]) => result({ system, workload: "cold", turnsPerS, cpuMsPerTurn })));
  // Round 2 was a quiet round for the baseline only: its median pairs with Parley's busier rounds.
  const parley = rounds("parley", [
    [198, 3.75],
    [201, 3.76],
    [148, 5.21],
  ]);
  const baseline = rounds("baseline", [
    [312, 2.16],
    [260, 2.6],
    [239, 2.88],
  ]);

  it("pairs the systems round by round and takes the median of the rounds' ratios", () => {
    expect(parley.turnsPerS / baseline.turnsPerS).toBeCloseTo(0.76, 2); // the medians' ratio flatters
    expect(pairedRatio(parley, baseline, "turnsPerS")).toBeCloseTo(198 / 312, 5); // rounds: 0.63, 0.77, 0.62
    expect(pairedRatio(parley, baseline, "cpuMsPerTurn")).toBeCloseTo(3.75 / 2.16, 5); // rounds: 1.74, 1.45, 1.81
  });

  it("falls back to the figures' ratio when the rounds do not pair up", () => {
    const single = result({ system: "baseline", workload: "cold", turnsPerS: 250 });
    expect(pairedRatio(parley, single, "turnsPerS")).toBeCloseTo(198 / 250, 5);
    const skipped = combineRounds([
      result({ system: "parley", workload: "cold", turnsPerS: 100 }),
      result({ system: "parley", workload: "cold", status: "n/a", turnsPerS: Number.NaN }),
    ]);
    expect(skipped.perRound).toBeUndefined();
  });
});

describe("formatTable with rounds", () => {
  it("adds the rounds' range of turns/s when results are medians of several rounds", () => {
    const combined = combineRounds([
      result({ system: "baseline", workload: "steady", turnsPerS: 90 }),
      result({ system: "baseline", workload: "steady", turnsPerS: 110 }),
      result({ system: "baseline", workload: "steady", turnsPerS: 100 }),
    ]);
    const table = formatTable([combined]);
    expect(table.split("\n")[0]).toContain("rounds' range");
    expect(table.split("\n")[2]).toContain("90–110");
  });
});
