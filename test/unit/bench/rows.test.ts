import { describe, expect, it } from "vitest";
import { rowsPerTurnByWorkload, workloadOfUser } from "../../../bench/rows.js";

describe("workloadOfUser", () => {
  it("reads the workload from the user ids the workloads mint", () => {
    expect(workloadOfUser("bm1r1p-steady-12")).toBe("steady");
    expect(workloadOfUser("bm1r1p-cold-0")).toBe("cold");
    expect(workloadOfUser("bm1r1p-ws-999")).toBe("socket");
    expect(workloadOfUser("someone-else")).toBeUndefined();
  });
});

describe("rowsPerTurnByWorkload", () => {
  it("sums rows and set alarms over each workload's actors, per committed turn", () => {
    const perTurn = rowsPerTurnByWorkload([
      { name: "r-cold-0", rows: 9, turns: 1, alarm: false },
      { name: "r-cold-1", rows: 16, turns: 2, alarm: false },
      { name: "r-steady-0", rows: 72, turns: 10, alarm: true },
      { name: "r-steady-1", rows: 65, turns: 9, alarm: false },
      { name: "r-ws-0", rows: 3, turns: 0, alarm: false },
      { name: "unrelated", rows: 100, turns: 5, alarm: true },
    ]);
    expect(perTurn.cold).toEqual({ rowsWritten: 25 / 3, alarms: 0, turns: 3, actors: 2 });
    expect(perTurn.steady).toEqual({ rowsWritten: 138 / 19, alarms: 1 / 19, turns: 19, actors: 2 });
    expect(perTurn.socket).toBeUndefined(); // no committed turn to divide by
  });
});
