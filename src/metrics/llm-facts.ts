import type { ConversationEvent } from "../conversation/events.js";
import type { MetricSet } from "./series.js";

/** What a model call is for: proposing commands, or writing a reply. */
export type LlmUse = "understand" | "generate";

/** One call to a model, as the LLM layer reports it (see durable-objects/conversation/llm-turns.ts). */
export type LlmFact = {
  type: "llm.request";
  model: string;
  use: LlmUse;
  /** "ok", or why it failed or was not made (an LlmFailure: timeout, http, cut, circuit_open, budget, …) */
  outcome: string;
  inputTokens: number;
  outputTokens: number;
  /** time to the first token, when one came */
  ttftSeconds?: number;
  seconds: number;
};

export function countLlmFact(metrics: MetricSet, fact: LlmFact): void {
  const labels = { model: fact.model, use: fact.use };
  metrics.count("parley_llm_requests_total", { ...labels, outcome: fact.outcome });
  if (fact.inputTokens > 0) metrics.count("parley_llm_tokens_total", { ...labels, direction: "in" }, fact.inputTokens);
  if (fact.outputTokens > 0) metrics.count("parley_llm_tokens_total", { ...labels, direction: "out" }, fact.outputTokens);
  if (fact.ttftSeconds !== undefined) metrics.observe("parley_llm_first_token_seconds", labels, fact.ttftSeconds);
  if (fact.outcome === "ok") metrics.observe("parley_llm_duration_seconds", labels, fact.seconds);
}

/**
 * What a committed turn says about the LLM layer: each reply a model was asked to write,
 * generated or scripted (and why), and the commands it proposed, kept or dropped.
 */
export function countLlmTurn(metrics: MetricSet, bot: string, events: readonly { event: ConversationEvent }[]): void {
  for (const { event } of events) {
    if (event.type === "message.bot" && event.generation) {
      const { outcome, model, reason } = event.generation;
      metrics.count("parley_llm_replies_total", { bot, model, source: outcome, reason: reason ?? "none" });
    } else if (event.type === "llm.commands") {
      if (event.accepted.length > 0) metrics.count("parley_llm_commands_total", { bot, verdict: "accepted" }, event.accepted.length);
      if (event.dropped > 0) metrics.count("parley_llm_commands_total", { bot, verdict: "dropped" }, event.dropped);
    }
  }
}
