import { z } from "zod";
import { errorDetail } from "../openai/error-detail.js";
import { sseData } from "./sse.js";
import type { ChatChunk, ChatRequest, LlmProvider } from "./types.js";
import { LlmError } from "./types.js";

/** The slice of `fetch` the adapter needs: tests pass a shim, the Worker passes the global. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface OpenAiCompatibleOptions {
  /** The server's base URL, with or without `/v1` (`https://api.openai.com/v1`, `http://127.0.0.1:8791`). */
  baseUrl: string;
  /** The bearer key (a secret); a local server often needs none. */
  apiKey?: string;
  fetch?: FetchLike;
}

/**
 * One streamed `chat.completion.chunk`: only the fields the adapter reads (zod drops the rest).
 * The usage chunk has `choices: []`, and a few servers leave `choices` out of it.
 */
const chunkSchema = z
  .object({
    choices: z
      .array(
        z.object({
          delta: z.object({ content: z.string().nullish() }).nullish(),
          finish_reason: z.string().nullish(),
        }),
      )
      .optional(),
    usage: z.object({ prompt_tokens: z.number(), completion_tokens: z.number() }).nullish(),
  })
  .refine((chunk) => chunk.choices !== undefined || chunk.usage);

/** Some servers report a failure inside a 200 stream: `data: {"error": {...}}`. */
const streamedErrorSchema = z.object({ error: z.object({ message: z.string().optional() }).passthrough() });

/**
 * Chat through any server that speaks OpenAI's chat completions with streaming: OpenAI itself,
 * a gateway, or a local one (vLLM, llama.cpp, Ollama, LiteLLM…). `POST {base}/v1/chat/completions`
 * with `stream: true` and `stream_options.include_usage`, read as SSE.
 *
 * Throws {@link LlmError}: "http" for a refusal (status and the server's message, never the key),
 * "network" when the request cannot be made, "aborted" when `request.signal` fires, "malformed"
 * for a chunk that is not a completion chunk, "cut" when the body ends with neither `[DONE]` nor
 * a finish reason.
 *
 * @example
 * const llm = openAiCompatible({ baseUrl: "http://127.0.0.1:8791", apiKey: "sk-…" });
 * for await (const chunk of llm.stream({ model: "gpt-4o-mini", messages })) if (chunk.type === "delta") write(chunk.text);
 */
export function openAiCompatible(options: OpenAiCompatibleOptions): LlmProvider {
  const url = chatCompletionsUrl(options.baseUrl);
  if (url === null) throw new Error("openai-compatible: the base URL is not an http(s) URL");
  const fetcher = options.fetch ?? ((input, init) => fetch(input, init));
  const redact = redactorOf(options.apiKey);
  return {
    name: "openai-compatible",
    stream: (request) => streamChat(request, { url, apiKey: options.apiKey, fetcher, redact }),
  };
}

interface Connection {
  url: string;
  apiKey: string | undefined;
  fetcher: FetchLike;
  redact: (text: string) => string;
}

async function* streamChat(request: ChatRequest, connection: Connection): AsyncGenerator<ChatChunk, void, undefined> {
  const response = await send(request, connection);
  if (!response.body) throw new LlmError("malformed", "openai-compatible: the answer has no body");
  let finished = false;
  try {
    for await (const data of sseData(response.body)) {
      if (data === "[DONE]") return;
      const chunk = parseChunk(data, connection.redact);
      const choice = chunk.choices?.[0];
      if (choice?.finish_reason) finished = true;
      const text = choice?.delta?.content;
      if (text) yield { type: "delta", text };
      if (chunk.usage) yield { type: "usage", inputTokens: chunk.usage.prompt_tokens, outputTokens: chunk.usage.completion_tokens };
    }
  } catch (error) {
    throw failureOf(error, request.signal, "cut", "the stream broke off");
  }
  if (!finished) throw new LlmError("cut", "openai-compatible: the stream ended before the reply was finished");
}

async function send(request: ChatRequest, connection: Connection): Promise<Response> {
  const headers: Record<string, string> = { "content-type": "application/json", accept: "text/event-stream" };
  if (connection.apiKey) headers["authorization"] = `Bearer ${connection.apiKey}`;
  let response: Response;
  try {
    const init: RequestInit = { method: "POST", headers, body: JSON.stringify(chatBodyOf(request)) };
    if (request.signal) init.signal = request.signal;
    response = await connection.fetcher(connection.url, init);
  } catch (error) {
    throw failureOf(error, request.signal, "network", "the request failed");
  }
  if (!response.ok) {
    const detail = connection.redact(await errorDetail(response));
    throw new LlmError("http", `openai-compatible: the server answered ${response.status}${detail}`);
  }
  return response;
}

/**
 * The JSON body of a streamed chat completion.
 *
 * @example
 * chatBodyOf({ model: "m", messages: [], jsonSchema: { name: "reply", schema: {} } }).response_format
 * // { type: "json_schema", json_schema: { name: "reply", schema: {}, strict: true } }
 */
export function chatBodyOf(request: ChatRequest): Record<string, unknown> {
  return {
    model: request.model,
    messages: request.messages.map(({ role, content }) => ({ role, content })),
    ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
    ...(request.maxTokens === undefined ? {} : { max_tokens: request.maxTokens }),
    stream: true,
    stream_options: { include_usage: true },
    ...(request.jsonSchema
      ? { response_format: { type: "json_schema", json_schema: { name: request.jsonSchema.name, schema: request.jsonSchema.schema, strict: true } } }
      : {}),
  };
}

/**
 * `{base}/v1/chat/completions`, or null when the base is not an http(s) URL. OpenAI clients take
 * the base with `/v1`, local servers are often given without it: both are accepted (as
 * SPEECH_BASE_URL is, src/speech/config.ts).
 *
 * @example
 * chatCompletionsUrl("http://127.0.0.1:8791")     // "http://127.0.0.1:8791/v1/chat/completions"
 * chatCompletionsUrl("https://api.openai.com/v1/") // "https://api.openai.com/v1/chat/completions"
 */
export function chatCompletionsUrl(baseUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(baseUrl.trim());
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  const path = url.pathname.replace(/\/+$/, "");
  url.pathname = `${path.endsWith("/v1") ? path : `${path}/v1`}/chat/completions`;
  url.search = "";
  url.hash = "";
  return url.toString();
}

function parseChunk(data: string, redact: (text: string) => string): z.infer<typeof chunkSchema> {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    throw new LlmError("malformed", "openai-compatible: a chunk is not JSON");
  }
  const chunk = chunkSchema.safeParse(json);
  if (chunk.success) return chunk.data;
  const streamed = streamedErrorSchema.safeParse(json);
  if (streamed.success) throw new LlmError("http", `openai-compatible: the server reported an error mid-stream: ${redact(streamed.data.error.message ?? "")}`);
  throw new LlmError("malformed", "openai-compatible: a chunk is not a chat completion chunk");
}

/** What a thrown error was: ours as is, an abort when the caller's signal fired, else `otherwise`. */
function failureOf(error: unknown, signal: AbortSignal | undefined, otherwise: "network" | "cut", what: string): LlmError {
  if (error instanceof LlmError) return error;
  if (signal?.aborted) return new LlmError("aborted", "openai-compatible: the request was aborted", { cause: error });
  return new LlmError(otherwise, `openai-compatible: ${what}`, { cause: error });
}

/** Servers echo a wrong key in their 401 ("Incorrect API key provided: sk-…"): it never reaches a message. */
function redactorOf(apiKey: string | undefined): (text: string) => string {
  if (!apiKey) return (text) => text;
  return (text) => text.split(apiKey).join("[redacted]");
}
