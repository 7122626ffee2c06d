/**
 * The contract between Parley and a language model: chat messages in, a stream of text deltas
 * out. Adapters (OpenAI-compatible over HTTP with SSE, the Workers AI binding) implement
 * {@link LlmProvider}; everything above them — prompts, commands, guardrails, budgets — is
 * provider-blind.
 */

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface ChatRequest {
  model: string;
  messages: readonly ChatMessage[];
  temperature?: number;
  /** a cap on generated tokens */
  maxTokens?: number;
  /** asks for JSON output matching this schema (OpenAI `response_format: json_schema`) */
  jsonSchema?: { name: string; schema: Record<string, unknown> };
  /** aborts the request and the stream */
  signal?: AbortSignal;
}

/** What a stream yields: text as it is generated, and the token usage when the provider tells it. */
export type ChatChunk = { type: "delta"; text: string } | { type: "usage"; inputTokens: number; outputTokens: number };

/** Why a generation failed: each is counted apart, and each gets the scripted answer. */
export type LlmFailure = "timeout" | "http" | "network" | "malformed" | "cut" | "aborted" | "circuit_open" | "budget";

export class LlmError extends Error {
  constructor(
    readonly failure: LlmFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "LlmError";
  }
}

export interface LlmProvider {
  /** "openai-compatible" or "workers-ai": metrics and events name it */
  readonly name: string;
  /** Streams the reply; throws (or the iterator throws) an {@link LlmError}. */
  stream(request: ChatRequest): AsyncIterable<ChatChunk>;
}
