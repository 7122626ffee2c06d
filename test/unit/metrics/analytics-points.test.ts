import { describe, expect, it } from "vitest";
import type { ConversationEvent } from "../../../src/conversation/events.js";
import { analyticsPointOf } from "../../../src/metrics/analytics-points.js";

describe("Analytics Engine data points", () => {
  it("one per request: route as the index, latency in ms", () => {
    expect(analyticsPointOf({ type: "request", route: "/v1/messages", method: "POST", status: 200, seconds: 0.0125 })).toEqual({
      indexes: ["/v1/messages"],
      blobs: ["request", "/v1/messages", "POST", "200"],
      doubles: [12.5],
    });
  });

  it("one per turn: bot version as the index, intent and outcome, no user", () => {
    const events: { event: ConversationEvent }[] = [
      { event: { type: "nlu.parsed", v: 1, at: 0, intent: null, confidence: 0.1, alternatives: [], entities: {}, lang: "en" } },
      { event: { type: "fallback.triggered", v: 1, at: 0, flow: null, reason: "low_confidence" } },
    ];
    expect(analyticsPointOf({ type: "turn", bot: "shop", version: "2", cohort: "canary", start: "cold", events })).toEqual({
      indexes: ["shop@2"],
      blobs: ["turn", "shop", "2", "canary", "cold", "none"],
      doubles: [1, 0],
    });
  });

  it("names the knowledge or small-talk entry that answered a turn in place of the intent", () => {
    const events: { event: ConversationEvent }[] = [
      { event: { type: "nlu.parsed", v: 1, at: 0, intent: null, confidence: 0.1, alternatives: [], entities: {}, lang: "zh" } },
      { event: { type: "knowledge.answered", v: 1, at: 0, entry: "opening_hours", score: 1, flow: null } },
    ];
    expect(analyticsPointOf({ type: "turn", bot: "shop", version: "1", cohort: "stable", start: "warm", events })?.blobs[5]).toBe("knowledge:opening_hours");
  });

  it("none for facts that only the shards count", () => {
    expect(analyticsPointOf({ type: "snapshot.written" })).toBeNull();
  });
});
