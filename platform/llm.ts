import { openAiCompatible } from "../src/llm/openai-compatible.js";
import type { LlmProvider } from "../src/llm/types.js";
import type { AiTextRunner } from "../src/llm/workers-ai.js";
import { workersAi } from "../src/llm/workers-ai.js";
import type { Env } from "./env.js";

export type LlmProviderName = "openai-compatible" | "workers-ai";

/**
 * The language model `name` chooses, connected from the Worker's configuration: LLM_BASE_URL
 * (and the LLM_API_KEY secret) for "openai-compatible", the `AI` binding for "workers-ai".
 * Null when that connection is not configured — a blank or non-http(s) LLM_BASE_URL counts as
 * not configured — and Parley then answers as it does without a model.
 *
 * The provider is bare: deadlines and the isolate's circuit breaker are the caller's to add
 * (src/llm/deadlines.ts, src/llm/breaker.ts).
 */
export function llmProviderOf(env: Pick<Env, "LLM_BASE_URL" | "LLM_API_KEY" | "AI">, name: LlmProviderName): LlmProvider | null {
  if (name === "workers-ai") return env.AI ? workersAi(aiRunnerOf(env.AI)) : null;
  const baseUrl = env.LLM_BASE_URL?.trim();
  if (!baseUrl) return null;
  try {
    // The global fetch, unbound: workerd refuses `fetch` called with another `this`.
    return openAiCompatible({ baseUrl, apiKey: env.LLM_API_KEY?.trim() || undefined, fetch: (url, init) => fetch(url, init) });
  } catch {
    return null;
  }
}

/** The binding's overloads, narrowed to the one call shape the adapter makes. */
function aiRunnerOf(ai: Ai): AiTextRunner {
  const run = ai.run.bind(ai) as (model: string, inputs: Record<string, unknown>, options?: AiOptions) => Promise<unknown>;
  return { run: (model, inputs, options) => run(model, inputs, options) };
}
