import { z } from "zod";
import { sseData } from "./sse.js";
import type { ChatChunk, ChatRequest, LlmProvider } from "./types.js";
import { LlmError } from "./types.js";

/**
 * The slice of the `AI` binding the adapter uses. Structural, so `src/` needs no runtime import
 * and a test passes a plain object in its place (the real binding is remote).
 */
export interface AiTextRunner {
  run(model: string, inputs: Record<string, unknown>, options?: { signal?: AbortSignal }): Promise<unknown>;
}

/**
 * A streamed event: native models send `{ response, usage? }`, the OpenAI-compatible ones on
 * Workers AI (gpt-oss, …) send `choices[0].delta.content`; usage comes in the last event.
 */
const eventSchema = z.object({
  response: z.string().nullish(),
  choices: z.array(z.object({ delta: z.object({ content: z.string().nullish() }).nullish() })).nullish(),
  usage: z.object({ prompt_tokens: z.number(), completion_tokens: z.number() }).nullish(),
});

/** A JSON-mode answer: `response` is the parsed object (or, for some models, its text). */
const jsonAnswerSchema = z.object({
  response: z.union([z.string(), z.record(z.string(), z.unknown())]),
  usage: z.object({ prompt_tokens: z.number(), completion_tokens: z.number() }).nullish(),
});

/**
 * Chat on Workers AI through the `AI` binding: `ai.run(model, { messages, stream: true, … })`
 * answers a ReadableStream of SSE events, `data: {"response":"…"}` then `data: [DONE]`.
 *
 * JSON output (`request.jsonSchema`) is not streamed: Workers AI's JSON mode does not support
 * streaming, so the whole answer comes as one delta (the deadline on the first token then
 * covers the whole generation).
 *
 * Throws {@link LlmError}: "aborted" when `request.signal` fires, "http" when the binding
 * refuses the call, "malformed" for an event or answer of another shape, "cut" when the stream
 * ends without `[DONE]`.
 *
 * @example
 * const llm = workersAi(env.AI);
 * for await (const chunk of llm.stream({ model: "@cf/meta/llama-3.3-70b-instruct-fp8-fast", messages })) …
 */
export function workersAi(ai: AiTextRunner): LlmProvider {
  return { name: "workers-ai", stream: (request) => (request.jsonSchema ? answerJson(ai, request) : streamText(ai, request)) };
}

async function* streamText(ai: AiTextRunner, request: ChatRequest): AsyncGenerator<ChatChunk> {
  const output = await run(ai, request, { stream: true });
  if (!(output instanceof ReadableStream)) throw new LlmError("malformed", `workers-ai ${request.model}: a streamed call answered no stream`);
  try {
    for await (const data of sseData(output)) {
      if (data === "[DONE]") return;
      const event = eventSchema.safeParse(parseJson(data, request.model));
      if (!event.success) throw new LlmError("malformed", `workers-ai ${request.model}: an event is not a text generation event`);
      const text = event.data.response ?? event.data.choices?.[0]?.delta?.content;
      if (text) yield { type: "delta", text };
      const usage = event.data.usage;
      if (usage) yield { type: "usage", inputTokens: usage.prompt_tokens, outputTokens: usage.completion_tokens };
    }
  } catch (error) {
    if (error instanceof LlmError) throw error;
    if (request.signal?.aborted) throw new LlmError("aborted", `workers-ai ${request.model}: aborted`, { cause: error });
    throw new LlmError("cut", `workers-ai ${request.model}: the stream broke off`, { cause: error });
  }
  throw new LlmError("cut", `workers-ai ${request.model}: the stream ended before [DONE]`);
}

async function* answerJson(ai: AiTextRunner, request: ChatRequest): AsyncGenerator<ChatChunk> {
  const answer = jsonAnswerSchema.safeParse(await run(ai, request, { response_format: { type: "json_schema", json_schema: request.jsonSchema?.schema } }));
  if (!answer.success) throw new LlmError("malformed", `workers-ai ${request.model}: the JSON-mode answer has no response`);
  const { response, usage } = answer.data;
  yield { type: "delta", text: typeof response === "string" ? response : JSON.stringify(response) };
  if (usage) yield { type: "usage", inputTokens: usage.prompt_tokens, outputTokens: usage.completion_tokens };
}

async function run(ai: AiTextRunner, request: ChatRequest, extra: Record<string, unknown>): Promise<unknown> {
  const inputs: Record<string, unknown> = {
    messages: request.messages.map(({ role, content }) => ({ role, content })),
    ...(request.maxTokens === undefined ? {} : { max_tokens: request.maxTokens }),
    ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
    ...extra,
  };
  if (request.signal?.aborted) throw new LlmError("aborted", `workers-ai ${request.model}: aborted`);
  try {
    return await ai.run(request.model, inputs, request.signal ? { signal: request.signal } : undefined);
  } catch (error) {
    if (request.signal?.aborted) throw new LlmError("aborted", `workers-ai ${request.model}: aborted`, { cause: error });
    // The binding's errors carry Cloudflare's code and reason ("3036: Account limited…"), never a secret.
    const reason = error instanceof Error ? error.message.slice(0, 200) : "unknown error";
    throw new LlmError("http", `workers-ai ${request.model}: the call failed: ${reason}`, { cause: error });
  }
}

function parseJson(data: string, model: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    throw new LlmError("malformed", `workers-ai ${model}: an event is not JSON`);
  }
}
