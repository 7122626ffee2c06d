/**
 * What the fake chat server (openai-chat.ts) answers, and how it streams it: the reply a rule,
 * an obeyed injection or the default gives, cut into chunks, framed as OpenAI frames them.
 */
import { z } from "zod";

export const FAKE_CHAT_FAULTS = ["http500", "cut", "malformed", "hang"] as const;
export type FakeChatFault = (typeof FAKE_CHAT_FAULTS)[number];

/** One behaviour of the fake, posted by a test to `POST /__fake/rules`; the first rule that matches wins. */
export const fakeChatRuleSchema = z.object({
  /** A substring of the last user message; absent, the rule matches every request. */
  match: z.string().optional(),
  /** The reply text, exactly (for a JSON request, the JSON it outputs). */
  reply: z.string().optional(),
  /** The reply becomes `{"commands": [...]}`. */
  commands: z.array(z.unknown()).optional(),
  firstTokenDelayMs: z.number().nonnegative().optional(),
  chunkDelayMs: z.number().nonnegative().optional(),
  fault: z.enum(FAKE_CHAT_FAULTS).optional(),
});
export type FakeChatRule = z.infer<typeof fakeChatRuleSchema>;

/** The request body fields the fake reads. */
export const chatBodySchema = z.object({
  model: z.string().min(1),
  messages: z.array(z.object({ role: z.string(), content: z.string() })).min(1),
  stream: z.boolean().optional(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).nullish(),
  response_format: z.object({ type: z.string() }).passthrough().nullish(),
});
export type ChatBody = z.infer<typeof chatBodySchema>;

/** A model that obeys a prompt injection: `MODEL, SAY: <text>` anywhere makes it say `<text>`. */
const INJECTION = /MODEL, SAY:[ \t]*([^\r\n]*)/;

export function lastUserText(body: ChatBody): string {
  return body.messages.findLast((message) => message.role === "user")?.content ?? "";
}

/** The scripted answer Parley asks a model to reword. */
const SCRIPTED = /<scripted>([\s\S]*?)<\/scripted>/;

export function wantsJson(body: ChatBody): boolean {
  return body.response_format !== undefined && body.response_format !== null && body.response_format.type !== "text";
}

/**
 * The reply: the rule's commands or text, else an obeyed injection, else the default — for a
 * JSON request `{"commands": []}`, for text "(fake model) " and the answer it was given to
 * reword (Parley's `<scripted>` part), or else the start of the user's message.
 */
export function replyOf(body: ChatBody, rule: FakeChatRule | undefined): string {
  if (rule?.commands) return JSON.stringify({ commands: rule.commands });
  if (rule?.reply !== undefined) return rule.reply;
  for (const message of body.messages) {
    const injected = INJECTION.exec(message.content);
    if (injected) return injected[1] ?? "";
  }
  if (wantsJson(body)) return JSON.stringify({ commands: [] });
  const scripted = body.messages.map((message) => SCRIPTED.exec(message.content)?.[1]).find((text) => text !== undefined);
  return `(fake model) ${scripted ?? lastUserText(body).slice(0, 60)}`;
}

/**
 * The reply in chunks of up to 8 visible characters, each with the whitespace before it, as a
 * model's tokens come: joined again, they are the reply exactly.
 *
 * @example
 * piecesOf("(fake model) hello") // ["(fake", " model)", " hello"]
 */
export function piecesOf(text: string): string[] {
  return text.match(/\s*\S{1,8}|\s+$/g) ?? [];
}

export interface StreamPlan {
  model: string;
  pieces: readonly string[];
  includeUsage: boolean;
  promptTokens: number;
  firstTokenDelayMs: number;
  chunkDelayMs: number;
  fault: FakeChatFault | undefined;
}

/** The SSE body: role chunk, content chunks, finish chunk, usage chunk (when asked for), `[DONE]`. Cancelling it stops the generation. */
export function sseBodyOf(plan: StreamPlan): ReadableStream<Uint8Array> {
  const stop = new AbortController();
  const frames = framesOf(plan, stop.signal);
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await frames.next();
      if (stop.signal.aborted) return;
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    cancel() {
      stop.abort();
    },
  });
}

async function* framesOf(plan: StreamPlan, stop: AbortSignal): AsyncGenerator<string> {
  const id = `chatcmpl-fake-${crypto.randomUUID()}`;
  const created = Math.floor(Date.now() / 1000);
  const frame = (choices: unknown[], usage?: unknown) =>
    `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model: plan.model, system_fingerprint: null, choices, ...(plan.includeUsage ? { usage: usage ?? null } : {}) })}\n\n`;
  const choice = (delta: Record<string, unknown>, finish: string | null = null) => ({ index: 0, delta, logprobs: null, finish_reason: finish });

  await sleep(plan.firstTokenDelayMs, stop);
  if (plan.fault === "hang") await sleep(Number.POSITIVE_INFINITY, stop);
  if (stop.aborted) return;
  yield frame([choice({ role: "assistant", content: "", refusal: null })]);
  if (plan.fault === "malformed") {
    yield 'data: {"id":"chatcmpl-fake","choices":[{"delta":{"content":"hal\n\n';
    return;
  }
  const cutAfter = plan.fault === "cut" ? Math.max(1, Math.ceil(plan.pieces.length / 2)) : Number.POSITIVE_INFINITY;
  for (const [index, piece] of plan.pieces.entries()) {
    if (index > 0) await sleep(plan.chunkDelayMs, stop);
    if (stop.aborted) return;
    yield frame([choice({ content: piece })]);
    if (index + 1 >= cutAfter) return;
  }
  yield frame([choice({}, "stop")]);
  if (plan.includeUsage) {
    const completion = plan.pieces.length;
    yield frame([], { prompt_tokens: plan.promptTokens, completion_tokens: completion, total_tokens: plan.promptTokens + completion });
  }
  yield "data: [DONE]\n\n";
}

/** The non-streamed answer (`stream` false or absent). */
export function completionOf(model: string, reply: string, promptTokens: number): Record<string, unknown> {
  const completion = piecesOf(reply).length;
  return {
    id: `chatcmpl-fake-${crypto.randomUUID()}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: "assistant", content: reply, refusal: null }, logprobs: null, finish_reason: "stop" }],
    usage: { prompt_tokens: promptTokens, completion_tokens: completion, total_tokens: promptTokens + completion },
  };
}

/** Resolves after `ms`, or at once when `stop` fires; an infinite `ms` waits for `stop` only. */
export function sleep(ms: number, stop: AbortSignal): Promise<void> {
  if (ms <= 0 || stop.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = Number.isFinite(ms) ? setTimeout(done, ms) : undefined;
    function done(): void {
      clearTimeout(timer);
      stop.removeEventListener("abort", done);
      resolve();
    }
    stop.addEventListener("abort", done, { once: true });
  });
}
