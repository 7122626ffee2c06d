import { describe, expect, it } from "vitest";
import type { ConversationEvent } from "../../../src/conversation/events.js";
import { addOutcomes, noOutcomes, outcomeOfTurn } from "../../../src/rollout/outcomes.js";

const stored = (...events: ConversationEvent[]) => events.map((event, i) => ({ seq: i + 1, at: 0, event }));

describe("outcomeOfTurn", () => {
  it("counts a turn once, with at most one fallback, handoff and error each", () => {
    const turn = stored(
      { type: "message.user", v: 1, text: "??" },
      { type: "fallback.triggered", v: 1, at: 0, flow: null, reason: "low_confidence" },
      { type: "fallback.triggered", v: 1, at: 0, flow: null, reason: "low_confidence" },
      { type: "handoff.requested", v: 1, at: 0, flow: null, reason: "user_request" },
      { type: "action.failed", v: 1, at: 0, callId: "c", action: "a", error: "down" },
      { type: "message.bot", v: 1, text: "sorry", botVersion: "1" },
    );
    expect(outcomeOfTurn(turn)).toEqual({ turns: 1, fallbacks: 1, handoffs: 1, errors: 1 });
  });

  it("counts a flow that ended in error as an error, and a plain turn as a turn", () => {
    expect(outcomeOfTurn(stored({ type: "flow.ended", v: 1, at: 0, flow: "f", reason: "error" }))).toMatchObject({ errors: 1 });
    expect(outcomeOfTurn(stored({ type: "message.user", v: 1, text: "hi" }))).toEqual({ turns: 1, fallbacks: 0, handoffs: 0, errors: 0 });
  });

  it("adds counts field by field", () => {
    const total = noOutcomes();
    addOutcomes(total, { turns: 2, fallbacks: 1, handoffs: 0, errors: 1 });
    addOutcomes(total, { turns: 1, fallbacks: 1, handoffs: 1, errors: 0 });
    expect(total).toEqual({ turns: 3, fallbacks: 2, handoffs: 1, errors: 1 });
  });
});
