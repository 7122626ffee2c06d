import { describe, expect, it } from "vitest";
import { countLlmFact, countLlmTurn } from "../../../src/metrics/llm-facts.js";
import { llmTotalsOf } from "../../../src/metrics/llm-stats.js";
import { MetricSet } from "../../../src/metrics/series.js";
import type { StatsLlm, StatsLlmTotals } from "../../../src/protocol/metrics.js";

/** The language model panel's formatting, as the browser loads it (public/admin/llm-format.js). */
interface LlmFormat {
  LLM_EMPTY: string;
  REASONS_SHOWN: number;
  llmIsEmpty(llm: StatsLlm): boolean;
  llmFigureRows(llm: StatsLlm): { figure: string; value: string; detail: string }[];
  llmReasonRows(llm: StatsLlmTotals): { what: string; reason: string; count: string }[];
  llmSummary(llm: StatsLlm): string;
}

const page = (await import(new URL("../../../public/admin/llm-format.js", import.meta.url).href)) as LlmFormat;

/** Totals as the stats answer computes them from counted facts. */
function totals(record: (set: MetricSet) => void): StatsLlmTotals {
  const set = new MetricSet();
  record(set);
  return llmTotalsOf(set);
}

const call = (outcome: string, ttftSeconds?: number) =>
  ({
    type: "llm.request",
    model: "m",
    use: "generate",
    outcome,
    inputTokens: 900,
    outputTokens: 300,
    seconds: 1,
    ...(ttftSeconds ? { ttftSeconds } : {}),
  }) as const;

describe("admin page: the language model panel", () => {
  it("says there were no calls instead of showing zeros", () => {
    const none = totals(() => undefined);
    expect(page.llmIsEmpty(none)).toBe(true);
    expect(page.llmSummary(none)).toBe("No language model calls in this window — bots without an llm section answer from their rules");
    expect(page.llmReasonRows(none)).toEqual([]);
  });

  it("is not empty when a spent budget scripted a reply without any call", () => {
    const budget = totals((set) =>
      countLlmTurn(set, "shop", [
        { event: { type: "message.bot", v: 1, text: "…", botVersion: "1", generation: { outcome: "scripted", provider: "p", model: "m", reason: "budget" } } },
      ]),
    );
    expect(page.llmIsEmpty(budget)).toBe(false);
    expect(page.llmReasonRows(budget)).toEqual([{ what: "Scripted reply", reason: "budget", count: "1" }]);
  });

  it("shows calls ok and failed, tokens, time to first token, replies and commands, as people read them", () => {
    const llm = totals((set) => {
      for (let i = 0; i < 3; i++) countLlmFact(set, call("ok", 0.3));
      countLlmFact(set, call("timeout"));
      countLlmTurn(set, "shop", [
        { event: { type: "message.bot", v: 1, text: "…", botVersion: "1", generation: { outcome: "generated", provider: "p", model: "m" } } },
        { event: { type: "llm.commands", v: 1, at: 0, proposed: 2, accepted: [{ command: "chitchat" }], dropped: 1, reasons: ["unknown flow"] } },
      ]);
    });
    // Three first tokens in (0.25, 0.5] s, interpolated: 375 and 497.5 ms.
    expect(page.llmFigureRows(llm)).toEqual([
      { figure: "Calls", value: "4", detail: "3 ok · 1 failed (25%)" },
      { figure: "Tokens", value: "4.8k", detail: "3.6k in · 1.2k out" },
      { figure: "Time to first token", value: "375 ms / 498 ms", detail: "p50 / p99" },
      { figure: "Replies", value: "1", detail: "1 generated · 0 scripted (100% generated)" },
      { figure: "Commands proposed", value: "2", detail: "1 accepted · 1 dropped" },
    ]);
    expect(page.llmSummary(llm)).toBe("4 calls · 1 failed · 100% of replies generated");
  });

  it("lists the most frequent reasons of each kind and sums the rest as other", () => {
    const outcomes = ["timeout", "timeout", "http", "cut", "busy", "refused", "circuit_open", "network"];
    const llm = totals((set) => {
      for (const outcome of outcomes) countLlmFact(set, call(outcome));
    });
    const rows = page.llmReasonRows(llm);
    expect(rows).toHaveLength(page.REASONS_SHOWN + 1);
    expect(rows[0]).toEqual({ what: "Failed call", reason: "timeout", count: "2" });
    expect(rows.at(-1)).toEqual({ what: "Failed call", reason: "other", count: "2" });
  });
});
