import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withDeadlines } from "../../../src/llm/deadlines.js";
import { openAiCompatible } from "../../../src/llm/openai-compatible.js";
import type { ChatChunk, ChatRequest, LlmProvider } from "../../../src/llm/types.js";
import { LlmError } from "../../../src/llm/types.js";
import { FAKE_LLM_ORIGIN, createFakeOpenAiChat } from "../../fakes/openai-chat.js";
import type { LoopbackServer } from "../../fakes/serve-on-loopback.js";
import { serveOnLoopback } from "../../fakes/serve-on-loopback.js";

let server: LoopbackServer;
/** The signal each request to the fake went out with: the deadline must abort it. */
const signals: AbortSignal[] = [];
let llm: LlmProvider;

beforeAll(async () => {
  server = await serveOnLoopback(createFakeOpenAiChat(), { origin: FAKE_LLM_ORIGIN });
  await fetch(`${server.url}/__fake/rules`, {
    method: "POST",
    body: JSON.stringify([
      { match: "hang", fault: "hang" },
      { match: "late start", firstTokenDelayMs: 400 },
      { match: "slow stream", reply: "one two three four five six seven eight", chunkDelayMs: 60 },
    ]),
  });
  llm = openAiCompatible({
    baseUrl: server.url,
    fetch: (url, init) => {
      if (init.signal) signals.push(init.signal);
      return fetch(url, init);
    },
  });
});
afterAll(() => server.close());

const ask = (text: string, signal?: AbortSignal): ChatRequest => ({
  model: "fake-chat-1",
  messages: [{ role: "user", content: text }],
  ...(signal ? { signal } : {}),
});

/** A provider that never answers and ignores its signal. */
const deaf: LlmProvider = {
  name: "deaf",
  stream: () => ({ [Symbol.asyncIterator]: () => ({ next: () => new Promise<IteratorResult<ChatChunk>>(() => undefined) }) }),
};

async function read(stream: AsyncIterable<ChatChunk>): Promise<{ text: string; error: unknown; ms: number }> {
  const started = performance.now();
  let text = "";
  try {
    for await (const chunk of stream) if (chunk.type === "delta") text += chunk.text;
  } catch (error) {
    return { text, error, ms: performance.now() - started };
  }
  return { text, error: null, ms: performance.now() - started };
}

function expectFailure(error: unknown, failure: string): void {
  expect(error).toBeInstanceOf(LlmError);
  expect((error as LlmError).failure).toBe(failure);
}

describe("withDeadlines", () => {
  it("lets a stream that keeps its deadlines through unchanged", async () => {
    const { text, error } = await read(withDeadlines(llm, { firstTokenMs: 2_000, totalMs: 5_000 }).stream(ask("hello")));
    expect(error).toBeNull();
    expect(text).toBe("(fake model) hello");
  });

  it("gives up on a model that never sends a token, and aborts its request", async () => {
    const { error, ms } = await read(withDeadlines(llm, { firstTokenMs: 100, totalMs: 5_000 }).stream(ask("hang")));
    expectFailure(error, "timeout");
    expect((error as LlmError).message).toContain("no text within 100 ms");
    // No timing assertion beyond "well before the total deadline": the machine may be busy.
    expect(ms).toBeLessThan(4_000);
    expect(signals.at(-1)?.aborted).toBe(true);
  });

  it("times out a first token that comes too late", async () => {
    const { text, error } = await read(withDeadlines(llm, { firstTokenMs: 100, totalMs: 5_000 }).stream(ask("late start")));
    expectFailure(error, "timeout");
    expect(text).toBe("");
  });

  it("times out a stream that started in time but runs past the total deadline, keeping what came", async () => {
    const { text, error } = await read(withDeadlines(llm, { firstTokenMs: 2_000, totalMs: 200 }).stream(ask("slow stream")));
    expectFailure(error, "timeout");
    expect((error as LlmError).message).toContain("longer than 200 ms");
    expect(text.length).toBeGreaterThan(0);
    expect("one two three four five six seven eight".startsWith(text)).toBe(true);
    expect(text).not.toBe("one two three four five six seven eight");
    expect(signals.at(-1)?.aborted).toBe(true);
  });

  it("gives up on a provider that ignores its abort signal", async () => {
    const { error } = await read(withDeadlines(deaf, { firstTokenMs: 50, totalMs: 5_000 }).stream(ask("hello")));
    expectFailure(error, "timeout");
  });

  it('passes the caller\'s abort on: "aborted", not a timeout', async () => {
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 50);
    const { error } = await read(withDeadlines(llm, { firstTokenMs: 2_000, totalMs: 5_000 }).stream(ask("hang", abort.signal)));
    expectFailure(error, "aborted");
    expect(signals.at(-1)?.aborted).toBe(true);
  });

  it("runs on the timers it is given", async () => {
    const due = new Map<number, () => void>();
    const timers = { setTimeout: (callback: () => void, ms: number) => due.set(ms, callback), clearTimeout: () => undefined };
    const reading = read(withDeadlines(deaf, { firstTokenMs: 1_500, totalMs: 9_000 }, timers).stream(ask("hello")));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect([...due.keys()]).toEqual([1_500, 9_000]);
    due.get(1_500)?.();
    const { error } = await reading;
    expectFailure(error, "timeout");
    expect((error as LlmError).message).toContain("no text within 1500 ms");
  });
});
