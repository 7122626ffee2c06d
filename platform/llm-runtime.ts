import type { LlmSettings } from "../src/dialog/index.js";
import { CircuitBreaker, withBreaker } from "../src/llm/breaker.js";
import { withDeadlines } from "../src/llm/deadlines.js";
import type { ChatMessage, LlmFailure, LlmProvider } from "../src/llm/types.js";
import { LlmError } from "../src/llm/types.js";
import type { LlmUse } from "../src/metrics/llm-facts.js";
import type { Env } from "./env.js";
import type { LlmProviderName } from "./llm.js";
import { llmProviderOf } from "./llm.js";
import { countMetric } from "./metrics-batcher.js";

/** One call to a model, as a turn or the parse route makes it. */
export interface LlmCall {
  /** the bot it is made for: its concurrency limit is counted per bot */
  bot: string;
  model: string;
  use: LlmUse;
  messages: readonly ChatMessage[];
  temperature: number;
  maxTokens?: number;
  jsonSchema?: { name: string; schema: Record<string, unknown> };
  firstTokenMs: number;
  totalMs: number;
  /** generations of this bot at once in this isolate, at most */
  concurrentPerBot: number;
  /**
   * The text so far, after each piece: the caller shows what it has checked; a problem it answers
   * stops the call (the reply would be refused anyway).
   */
  stopIf?: (textSoFar: string) => string | null;
}

export type LlmCallResult =
  | { ok: true; text: string; inputTokens: number; outputTokens: number; ttftMs: number | null; durationMs: number }
  | {
      ok: false;
      failure: LlmFailure | "busy" | "refused";
      reason: string;
      text: string;
      inputTokens: number;
      outputTokens: number;
      ttftMs: number | null;
      durationMs: number;
    };

/**
 * A configured model connection, one per isolate and provider: its circuit breakers (a model
 * that keeps failing is not asked again for a while; scripted answers meanwhile) and its
 * generations in flight per bot live as long as the isolate. Every call is counted
 * (parley_llm_*) whatever its outcome.
 */
export class LlmRuntime {
  /** one per model: a model that keeps failing does not stop the others */
  private readonly breakers = new Map<string, CircuitBreaker>();
  private readonly inFlight = new Map<string, number>();

  constructor(
    private readonly provider: LlmProvider,
    private readonly env: Env,
  ) {}

  get name(): string {
    return this.provider.name;
  }

  async call(call: LlmCall): Promise<LlmCallResult> {
    const started = Date.now();
    const running = this.inFlight.get(call.bot) ?? 0;
    if (running >= call.concurrentPerBot) return this.counted(call, started, failed("busy", `${running} generations of this bot already`, "", null, started));
    this.inFlight.set(call.bot, running + 1);
    try {
      return this.counted(call, started, await this.stream(call, started));
    } finally {
      const left = (this.inFlight.get(call.bot) ?? 1) - 1;
      if (left > 0) this.inFlight.set(call.bot, left);
      else this.inFlight.delete(call.bot);
    }
  }

  private async stream(call: LlmCall, started: number): Promise<LlmCallResult> {
    const provider = withBreaker(withDeadlines(this.provider, { firstTokenMs: call.firstTokenMs, totalMs: call.totalMs }), this.breakerOf(call.model));
    const controller = new AbortController();
    let text = "";
    let ttftMs: number | null = null;
    let usage: { inputTokens: number; outputTokens: number } | null = null;
    try {
      const chunks = provider.stream({
        model: call.model,
        messages: call.messages,
        temperature: call.temperature,
        signal: controller.signal,
        ...(call.maxTokens === undefined ? {} : { maxTokens: call.maxTokens }),
        ...(call.jsonSchema ? { jsonSchema: call.jsonSchema } : {}),
      });
      for await (const chunk of chunks) {
        if (chunk.type === "usage") {
          usage = { inputTokens: chunk.inputTokens, outputTokens: chunk.outputTokens };
          continue;
        }
        ttftMs ??= Date.now() - started;
        text += chunk.text;
        const problem = call.stopIf?.(text) ?? null;
        if (problem !== null) {
          controller.abort();
          return failed("refused", problem, text, ttftMs, started, usage ?? estimate(call, text));
        }
      }
      const spent = usage ?? estimate(call, text);
      return { ok: true, text, ...spent, ttftMs, durationMs: Date.now() - started };
    } catch (error) {
      const failure = error instanceof LlmError ? error.failure : "network";
      return failed(failure, error instanceof Error ? error.message : String(error), text, ttftMs, started, usage ?? estimate(call, text));
    }
  }

  private breakerOf(model: string): CircuitBreaker {
    let breaker = this.breakers.get(model);
    if (!breaker) {
      breaker = new CircuitBreaker();
      this.breakers.set(model, breaker);
    }
    return breaker;
  }

  private counted(call: LlmCall, started: number, result: LlmCallResult): LlmCallResult {
    countMetric(this.env, {
      type: "llm.request",
      model: call.model,
      use: call.use,
      outcome: result.ok ? "ok" : result.failure,
      inputTokens: result.inputTokens,
      outputTokens: result.outputTokens,
      seconds: (Date.now() - started) / 1000,
      ...(result.ttftMs === null ? {} : { ttftSeconds: result.ttftMs / 1000 }),
    });
    return result;
  }
}

function failed(
  failure: LlmFailure | "busy" | "refused",
  reason: string,
  text: string,
  ttftMs: number | null,
  started: number,
  spent = { inputTokens: 0, outputTokens: 0 },
): LlmCallResult {
  return { ok: false, failure, reason, text, ...spent, ttftMs, durationMs: Date.now() - started };
}

/** Tokens by the usual rule of thumb (four characters each) when the provider did not say. */
function estimate(call: LlmCall, text: string): { inputTokens: number; outputTokens: number } {
  const input = call.messages.reduce((sum, message) => sum + message.content.length, 0);
  return { inputTokens: Math.ceil(input / 4), outputTokens: Math.ceil(text.length / 4) };
}

/** The parts of a call the bot's settings decide. */
export function llmCallBase(
  bot: string,
  settings: LlmSettings,
): Pick<LlmCall, "bot" | "model" | "temperature" | "firstTokenMs" | "totalMs" | "concurrentPerBot"> {
  const { limits } = settings;
  return {
    bot,
    model: settings.model,
    temperature: settings.temperature,
    firstTokenMs: limits.firstTokenMs,
    totalMs: limits.totalMs,
    concurrentPerBot: limits.concurrentPerBot,
  };
}

/** Per isolate, by provider and endpoint: the breaker and the in-flight counts are the isolate's, whichever object asks. */
const runtimes = new Map<string, LlmRuntime | null>();

/**
 * The isolate's runtime for a provider name, or null when that connection is not configured
 * (LLM_BASE_URL for "openai-compatible", the AI binding for "workers-ai"): the bot then
 * answers as it does without a model.
 */
export function llmRuntimeOf(env: Env, name: LlmProviderName): LlmRuntime | null {
  const key = `${name}|${name === "workers-ai" ? "" : (env.LLM_BASE_URL ?? "")}`;
  if (!runtimes.has(key)) {
    const provider = llmProviderOf(env, name);
    runtimes.set(key, provider ? new LlmRuntime(provider, env) : null);
  }
  return runtimes.get(key) ?? null;
}
