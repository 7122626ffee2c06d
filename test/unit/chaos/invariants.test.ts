import { describe, expect, it } from "vitest";
import type { HistoryMessage, SentTurn } from "../../../chaos/invariants.js";
import { checkHistory, exportBreaks, violationCount } from "../../../chaos/invariants.js";

const acked = (id: string, seq: number, resent = false): SentTurn => ({ clientMessageId: id, fate: { kind: "acked", seq }, resent });
const user = (seq: number, id: string): HistoryMessage => ({ seq, role: "user", clientMessageId: id });
const bot = (seq: number): HistoryMessage => ({ seq, role: "bot" });

describe("checkHistory: every acknowledged turn once, in the order sent", () => {
  it("finds nothing wrong in a clean history", () => {
    const v = checkHistory("u", [acked("a", 3), acked("b", 6)], [user(1, "a"), bot(3), user(4, "b"), bot(6)]);
    expect(violationCount(v)).toBe(0);
  });

  it("counts an acknowledged turn missing from history as lost", () => {
    const v = checkHistory("u", [acked("a", 3), acked("b", 6)], [user(1, "a"), bot(3)]);
    expect(v.lost).toBe(1);
    expect(v.details[0]).toContain("b acknowledged");
  });

  it("counts every extra copy of a clientMessageId as a duplicate", () => {
    const v = checkHistory("u", [acked("a", 3)], [user(1, "a"), bot(3), user(4, "a"), bot(5), user(6, "a")]);
    expect(v.duplicated).toBe(2);
  });

  it("counts a turn that landed before one sent earlier as reordered", () => {
    const v = checkHistory("u", [acked("a", 6), acked("b", 3)], [user(1, "b"), bot(3), user(4, "a"), bot(6)]);
    expect(v.reordered).toBe(1);
  });

  it("counts a refused (429) turn found in history as a phantom", () => {
    const v = checkHistory("u", [{ clientMessageId: "a", fate: { kind: "refused" }, resent: false }], [user(1, "a"), bot(2)]);
    expect(v.phantom).toBe(1);
  });

  it("accepts an unknown turn applied once or not at all, but not twice", () => {
    const unknown: SentTurn = { clientMessageId: "a", fate: { kind: "unknown" }, resent: true };
    expect(violationCount(checkHistory("u", [unknown], []))).toBe(0);
    expect(violationCount(checkHistory("u", [unknown], [user(1, "a"), bot(2)]))).toBe(0);
    expect(checkHistory("u", [unknown], [user(1, "a"), user(3, "a")]).duplicated).toBe(1);
  });

  it("counts a message in history that nobody sent as a phantom", () => {
    expect(checkHistory("u", [], [user(1, "zz"), bot(2)]).phantom).toBe(1);
  });

  it("counts an acknowledgement whose seq is not the reply to that turn as a wrong seq", () => {
    const history = [user(1, "a"), bot(3), user(4, "b"), bot(6)];
    expect(checkHistory("u", [acked("a", 6), acked("b", 6)], history).wrongSeq).toBe(1);
    expect(checkHistory("u", [acked("a", 2)], history).wrongSeq).toBe(1);
  });
});

describe("exportBreaks: an export's seqs run 1, 2, 3, … without gaps", () => {
  it("is 0 for a contiguous run and counts each gap or repeat once", () => {
    expect(exportBreaks([1, 2, 3])).toBe(0);
    expect(exportBreaks([1, 2, 4, 5])).toBe(1);
    expect(exportBreaks([1, 2, 2, 3])).toBe(1);
    expect(exportBreaks([2, 3])).toBe(1);
  });
});
