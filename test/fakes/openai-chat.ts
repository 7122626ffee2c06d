/**
 * A fake OpenAI-compatible chat-completions server. Two ways to reach it:
 * - in the worker tests, as vitest's `outboundService` (vitest.config.ts): every `fetch` the
 *   Worker makes to FAKE_LLM_ORIGIN lands here, anything else passes through (null);
 * - on a real loopback port (serve-on-loopback.ts, `npm run fake:llm`), for unit tests,
 *   `wrangler dev`, the e2e tests and the benchmark.
 *
 * `POST /v1/chat/completions` streams SSE exactly as OpenAI does (openai-chat-model.ts). A test
 * arranges behaviour with rules, the first whose `match` is in the last user message winning:
 *
 *   POST   {origin}/__fake/rules     { "match": "refund", "commands": [{ "type": "handoff" }] }  (one rule or an array)
 *          { "match": "slow", "firstTokenDelayMs": 5000 }   { "match": "boom", "fault": "http500" | "cut" | "malformed" | "hang" }
 *   DELETE {origin}/__fake/rules     clears them
 *   GET    {origin}/__fake/requests  every chat request body received, in order (`[{ path, authorized, body }]`)
 *   DELETE {origin}/__fake/requests  forgets them
 *
 * With no rule: a text request gets "(fake model) " + the first 60 characters of the last user
 * message, a JSON request (`response_format`) gets `{"commands": []}`. A message containing
 * `MODEL, SAY: <text>` makes it answer `<text>` exactly: a model that obeys a prompt injection.
 * Worker test files running side by side share one fake (vitest.config.ts): give rules a
 * `match` of your own, and leave DELETE to a fake of your own (a loopback one) — it clears the
 * other files' rules too.
 */
import type { ChatBody, FakeChatRule } from "./openai-chat-model.js";
import { chatBodySchema, completionOf, fakeChatRuleSchema, lastUserText, piecesOf, replyOf, sleep, sseBodyOf } from "./openai-chat-model.js";

export const FAKE_LLM_ORIGIN = "http://llm.test";
export const FAKE_LLM_API_KEY = "test-llm-key";
export const FAKE_LLM_MODEL = "fake-chat-1";

export interface FakeOpenAiChatOptions {
  /** The origin it answers (default FAKE_LLM_ORIGIN). */
  origin?: string;
  /** When set, a request without `Authorization: Bearer <apiKey>` gets 401 (which echoes the key it got, as OpenAI's does). */
  apiKey?: string;
  /** Defaults for requests no rule slows down (default 0 and 0). */
  firstTokenDelayMs?: number;
  chunkDelayMs?: number;
}

export interface ReceivedChatRequest {
  path: string;
  /** Whether it carried a bearer key (the key itself is not kept). */
  authorized: boolean;
  body: unknown;
}

/** Requests kept for GET /__fake/requests: the newest ones. */
const REQUESTS_KEPT = 1000;

export type FakeHandler = (request: Request) => Promise<Response | null>;

export function createFakeOpenAiChat(options: FakeOpenAiChatOptions = {}): FakeHandler {
  const origin = options.origin ?? FAKE_LLM_ORIGIN;
  const rules: FakeChatRule[] = [];
  const received: ReceivedChatRequest[] = [];
  return async (request) => {
    const url = new URL(request.url);
    if (url.origin !== origin) return null;
    if (url.pathname.startsWith("/__fake/")) return control(url.pathname, request, rules, received);
    if (request.method !== "POST" || url.pathname !== "/v1/chat/completions") return openAiError(404, `no route ${request.method} ${url.pathname}`);
    const text = await request.text();
    const authorization = request.headers.get("authorization");
    received.push({ path: url.pathname, authorized: authorization !== null, body: jsonOrText(text) });
    if (received.length > REQUESTS_KEPT) received.shift();
    if (options.apiKey !== undefined && authorization !== `Bearer ${options.apiKey}`) {
      return openAiError(401, `Incorrect API key provided: ${authorization?.replace(/^Bearer /, "") ?? "(none)"}`);
    }
    const body = chatBodySchema.safeParse(jsonOrText(text));
    if (!body.success) return openAiError(400, "model and messages are required");
    return complete(body.data, ruleFor(rules, body.data), options, request.signal);
  };
}

async function complete(body: ChatBody, rule: FakeChatRule | undefined, options: FakeOpenAiChatOptions, signal: AbortSignal): Promise<Response> {
  if (rule?.fault === "http500") return openAiError(500, "The server had an error while processing your request (fake).");
  const reply = replyOf(body, rule);
  const promptTokens = Math.ceil(body.messages.reduce((sum, message) => sum + message.content.length, 0) / 4);
  const firstTokenDelayMs = rule?.firstTokenDelayMs ?? options.firstTokenDelayMs ?? 0;
  if (!body.stream) {
    await sleep(rule?.fault === "hang" ? Number.POSITIVE_INFINITY : firstTokenDelayMs, signal);
    if (rule?.fault === "cut" || rule?.fault === "malformed")
      return new Response('{"id":"chatcmpl-fake","choices":[{"mess', { headers: { "content-type": "application/json" } });
    return Response.json(completionOf(body.model, reply, promptTokens));
  }
  const stream = sseBodyOf({
    model: body.model,
    pieces: piecesOf(reply),
    includeUsage: body.stream_options?.include_usage === true,
    promptTokens,
    firstTokenDelayMs,
    chunkDelayMs: rule?.chunkDelayMs ?? options.chunkDelayMs ?? 0,
    fault: rule?.fault,
  });
  return new Response(stream, { headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" } });
}

function ruleFor(rules: readonly FakeChatRule[], body: ChatBody): FakeChatRule | undefined {
  const text = lastUserText(body);
  return rules.find((rule) => rule.match === undefined || text.includes(rule.match));
}

async function control(path: string, request: Request, rules: FakeChatRule[], received: ReceivedChatRequest[]): Promise<Response> {
  if (path === "/__fake/rules" && request.method === "POST") {
    const posted: unknown = jsonOrText(await request.text());
    const parsed = fakeChatRuleSchema.array().safeParse(Array.isArray(posted) ? posted : [posted]);
    if (!parsed.success) return Response.json({ error: parsed.error.message }, { status: 400 });
    rules.push(...parsed.data);
    return Response.json({ rules: rules.length });
  }
  if (path === "/__fake/rules" && request.method === "DELETE") {
    rules.length = 0;
    return Response.json({ rules: 0 });
  }
  if (path === "/__fake/requests" && request.method === "GET") return Response.json(received);
  if (path === "/__fake/requests" && request.method === "DELETE") {
    received.length = 0;
    return Response.json({ requests: 0 });
  }
  return new Response("unknown control route", { status: 404 });
}

function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function openAiError(status: number, message: string): Response {
  return Response.json({ error: { message, type: status === 401 ? "invalid_request_error" : "server_error", code: null } }, { status });
}
