import { describe, expect, it } from "vitest";
import { SUMMARY_MESSAGES, withMessage } from "../../../src/handoff/summary.js";
import type { HandoffSummary } from "../../../src/handoff/types.js";

const empty: HandoffSummary = { intent: null, reason: "requested", language: "en", slots: {}, lastMessages: [] };
const message = (seq: number) => ({ seq, at: seq * 1000, role: "user" as const, text: `message ${seq}` });

describe("a summary's last messages", () => {
  it("keeps the last ones in seq order", () => {
    let summary = empty;
    for (let seq = 1; seq <= SUMMARY_MESSAGES + 3; seq++) summary = withMessage(summary, message(seq));
    expect(summary.lastMessages.map((m) => m.seq)).toEqual(Array.from({ length: SUMMARY_MESSAGES }, (_, i) => i + 4));
  });

  it("counts a forwarded message once", () => {
    const once = withMessage(empty, message(3));
    expect(withMessage(once, message(3))).toBe(once);
  });
});
