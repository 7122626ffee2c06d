/**
 * The fake model for the LLM benchmark: the repository's fake OpenAI-compatible chat server
 * (test/fakes/openai-chat.ts, as `npm run fake:llm` serves it) on a loopback port of this
 * process, with a stopwatch. Sharing the benchmark client's clock, it says when each chat
 * request arrived and when its first piece of text left, so Parley's added time to first token
 * splits into the way to the model and the way back.
 */
import { FAKE_LLM_ORIGIN, createFakeOpenAiChat } from "../test/fakes/openai-chat.js";
import type { LoopbackServer } from "../test/fakes/serve-on-loopback.js";
import { serveOnLoopback } from "../test/fakes/serve-on-loopback.js";

/** One chat request as the fake saw it, in `performance.now()` ms of this process. */
export interface FakeCall {
  arrivedAt: number;
  /** when the first frame carrying text was handed to the socket; null until then (or never) */
  firstTextAt: number | null;
  /** when the answer's last byte was handed on; null while it streams */
  endedAt: number | null;
  /** the request's JSON body, as sent */
  body: string;
}

export interface TimedFake {
  url: string;
  /** every chat request so far, oldest first */
  readonly calls: readonly FakeCall[];
  /** forgets the calls (a phase starts counting afresh) */
  reset(): void;
  /** from now on the model answers `reply` */
  answer(reply: string): Promise<void>;
  close(): Promise<void>;
}

export interface TimedFakeOptions {
  firstTokenMs: number;
  chunkMs: number;
  /** the text the model answers every question with */
  reply: string;
}

/** A content frame with text in it, as OpenAI frames it: `"delta":{"content":"<not empty>"`. */
const TEXT_FRAME = /"delta":\{"content":"[^"]/;

/**
 * Whether an SSE chunk of a chat completion carries text (not the opening role frame, whose
 * content is empty, nor the closing frames).
 *
 * @example
 * carriesText('data: {"choices":[{"index":0,"delta":{"content":"We"}}]}'); // true
 * carriesText('data: {"choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}'); // false
 */
export function carriesText(chunk: string): boolean {
  return TEXT_FRAME.test(chunk);
}

/**
 * The most calls that were streaming at one moment.
 *
 * @example
 * mostAtOnce([{ arrivedAt: 0, endedAt: 10 }, { arrivedAt: 5, endedAt: 20 }, { arrivedAt: 12, endedAt: 30 }]); // 2
 */
export function mostAtOnce(calls: readonly Pick<FakeCall, "arrivedAt" | "endedAt">[]): number {
  const edges: [number, number][] = [];
  for (const call of calls) edges.push([call.arrivedAt, 1], [call.endedAt ?? Number.POSITIVE_INFINITY, -1]);
  // At the same instant an end comes before a start: touching calls do not overlap.
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let most = 0;
  for (const [, step] of edges) {
    now += step;
    most = Math.max(most, now);
  }
  return most;
}

export async function startTimedFake(options: TimedFakeOptions): Promise<TimedFake> {
  const fake = createFakeOpenAiChat({ firstTokenDelayMs: options.firstTokenMs, chunkDelayMs: options.chunkMs });
  let calls: FakeCall[] = [];
  const decoder = new TextDecoder();
  const timed = async (request: Request): Promise<Response | null> => {
    const arrivedAt = performance.now();
    const isChat = new URL(request.url).pathname === "/v1/chat/completions";
    if (!isChat) return fake(request);
    const call: FakeCall = { arrivedAt, firstTextAt: null, endedAt: null, body: await request.clone().text() };
    calls.push(call);
    const response = await fake(request);
    if (!response?.body) return response;
    const watch = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        if (call.firstTextAt === null && carriesText(decoder.decode(chunk))) call.firstTextAt = performance.now();
        controller.enqueue(chunk);
      },
      flush() {
        call.endedAt = performance.now();
      },
    });
    return new Response(response.body.pipeThrough(watch), { status: response.status, headers: response.headers });
  };
  const server: LoopbackServer = await serveOnLoopback(timed, { origin: FAKE_LLM_ORIGIN });
  const answer = async (reply: string): Promise<void> => {
    await (await fetch(`${server.url}/__fake/rules`, { method: "DELETE" })).arrayBuffer();
    const rule = await fetch(`${server.url}/__fake/rules`, { method: "POST", body: JSON.stringify({ reply }) });
    if (!rule.ok) throw new Error(`the fake model refused its rule: ${rule.status} ${await rule.text()}`);
  };
  await answer(options.reply);
  return {
    answer,
    url: server.url,
    get calls() {
      return calls;
    },
    reset: () => {
      calls = [];
    },
    close: () => server.close(),
  };
}
