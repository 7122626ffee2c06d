import { describe, expect, it } from "vitest";
import type { ConversationEvent } from "../../../src/conversation/events.js";
import type { LlmFact } from "../../../src/metrics/llm-facts.js";
import { countLlmFact, countLlmTurn } from "../../../src/metrics/llm-facts.js";
import { llmFiguresOf, llmTotalsOf } from "../../../src/metrics/llm-stats.js";
import { MetricSet } from "../../../src/metrics/series.js";
import { statsAnswer } from "../../../src/metrics/stats.js";
import { rangeEndingAt } from "../../../src/metrics/timeline.js";
import { statsAnswerSchema } from "../../../src/protocol/metrics.js";

const MIN = 60_000;

function call(outcome: string, ttftSeconds: number | undefined, use: LlmFact["use"] = "generate"): LlmFact {
  return {
    type: "llm.request",
    model: "m1",
    use,
    outcome,
    inputTokens: 100,
    outputTokens: outcome === "ok" ? 20 : 0,
    seconds: 1,
    ...(ttftSeconds === undefined ? {} : { ttftSeconds }),
  };
}

function botMessage(outcome: "generated" | "scripted", reason?: string): { event: ConversationEvent } {
  return {
    event: { type: "message.bot", v: 1, text: "…", botVersion: "1", generation: { outcome, provider: "p", model: "m1", ...(reason ? { reason } : {}) } },
  };
}

/** Five calls (two failed), three replies (one scripted after a timeout, one after a refused link), one proposal. */
function traffic(): MetricSet {
  const set = new MetricSet();
  for (const fact of [call("ok", 0.2), call("ok", 0.4), call("ok", 0.3, "understand"), call("timeout", undefined), call("refused", 0.2)])
    countLlmFact(set, fact);
  countLlmTurn(set, "shop", [
    botMessage("generated"),
    botMessage("scripted", "timeout"),
    botMessage("scripted", "link_not_allowed"),
    botMessage("scripted", "timeout"),
  ]);
  countLlmTurn(set, "shop", [
    { event: { type: "llm.commands", v: 1, at: 0, proposed: 3, accepted: [{ command: "start_flow", flow: "order" }], dropped: 2, reasons: ["unknown flow"] } },
  ]);
  return set;
}

describe("the LLM figures of the stats answer", () => {
  it("counts calls ok and failed, tokens each way, replies by source and commands by verdict", () => {
    const figures = llmFiguresOf(traffic());
    expect(figures).toMatchObject({
      requests: { ok: 3, failed: 2 },
      tokens: { in: 500, out: 60 },
      replies: { generated: 1, scripted: 3 },
      commands: { accepted: 1, dropped: 2 },
    });
    // Four first tokens (the timeout had none), two in (0.1, 0.25] and two in (0.25, 0.5] s,
    // interpolated as for HTTP latency: the median is the first bucket's top.
    expect(figures.firstTokenMs).toEqual({ p50: 250, p99: 495 });
  });

  it("ranks why calls failed and why replies went out scripted, most frequent first", () => {
    const totals = llmTotalsOf(traffic());
    expect(totals.failures).toEqual([
      { reason: "refused", count: 1 },
      { reason: "timeout", count: 1 },
    ]);
    expect(totals.scriptedReasons).toEqual([
      { reason: "timeout", count: 2 },
      { reason: "link_not_allowed", count: 1 },
    ]);
  });

  it("is all zeros and nulls in a window without a model call, and the answer stays valid", () => {
    const range = rangeEndingAt(2 * MIN, 2 * MIN, MIN);
    const buckets = new Map([
      [1 * MIN, new MetricSet()],
      [2 * MIN, traffic()],
    ]);
    const now = { websocketsOpen: 0, voiceQueues: [], shards: { ok: 8, unreachable: 0 } };
    const answer = statsAnswerSchema.parse(statsAnswer("15m", range, buckets, now, 2 * MIN));
    expect(answer.buckets[0]?.llm).toEqual({
      requests: { ok: 0, failed: 0 },
      tokens: { in: 0, out: 0 },
      firstTokenMs: { p50: null, p99: null },
      replies: { generated: 0, scripted: 0 },
      commands: { accepted: 0, dropped: 0 },
    });
    expect(answer.buckets[1]?.llm.requests).toEqual({ ok: 3, failed: 2 });
    expect(answer.totals.llm).toMatchObject({ requests: { ok: 3, failed: 2 }, failures: [{ reason: "refused" }, { reason: "timeout" }] });
  });
});
