import type { Env } from "../../platform/env.js";
import type { SpeechDef } from "../../src/dialog/speech-schema.js";
import { speechConfigOf } from "../../src/speech/config.js";
import { createOpenAiSpeech } from "../../src/speech/openai.js";
import type { SpeechProvider } from "../../src/speech/provider.js";
import type { AiRunner } from "../../src/speech/workers-ai.js";
import { createWorkersAiSpeech } from "../../src/speech/workers-ai.js";

export type SpeechAvailability = { ok: true; provider: SpeechProvider } | { ok: false; reason: string };

/**
 * The provider SPEECH_PROVIDER chooses, or why voice is unavailable: the gateway answers
 * 503 with that reason, a consumer retries (and in the end dead-letters) with it. `bot`: the
 * `speech` section of the job's bot version, whose models and voice win over the vars.
 */
export function speechProviderOf(env: Env, bot?: SpeechDef): SpeechAvailability {
  const chosen = speechConfigOf(env, bot);
  if (!chosen.ok) return chosen;
  const config = chosen.config;
  if (config.provider === "openai") {
    // The global fetch, unbound: workerd refuses `fetch` called with another `this`.
    return { ok: true, provider: createOpenAiSpeech(config, (url, init) => fetch(url, init)) };
  }
  if (!env.AI) return { ok: false, reason: 'SPEECH_PROVIDER is "workers-ai" but the Worker has no AI binding: add [ai] binding = "AI" to wrangler.toml' };
  return { ok: true, provider: createWorkersAiSpeech(config, aiRunnerOf(env.AI)) };
}

/** A job's provider, set up for its bot version's speech settings; throws (a retryable delivery error) when voice is unavailable. */
export type ProviderFor = (bot: SpeechDef) => SpeechProvider;

export function providerFor(env: Env): ProviderFor {
  return (bot) => {
    const speech = speechProviderOf(env, bot);
    if (!speech.ok) throw new Error(speech.reason);
    return speech.provider;
  };
}

/** The binding's overloads, narrowed to the one call shape the adapter makes. */
function aiRunnerOf(ai: Ai): AiRunner {
  const run = ai.run.bind(ai) as (model: string, inputs: Record<string, unknown>, options?: AiOptions) => Promise<unknown>;
  return { run: (model, inputs, options) => run(model, inputs, options) };
}
