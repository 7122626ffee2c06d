import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { chatCompletionsUrl, openAiCompatible } from "../../../src/llm/openai-compatible.js";
import type { ChatChunk, ChatRequest, LlmFailure, LlmProvider } from "../../../src/llm/types.js";
import { LlmError } from "../../../src/llm/types.js";
import { FAKE_LLM_ORIGIN, createFakeOpenAiChat } from "../../fakes/openai-chat.js";
import type { FakeChatRule } from "../../fakes/openai-chat-model.js";
import type { LoopbackServer } from "../../fakes/serve-on-loopback.js";
import { serveOnLoopback } from "../../fakes/serve-on-loopback.js";

const KEY = "sk-live-0123456789abcdef";
let server: LoopbackServer;
let llm: LlmProvider;

beforeAll(async () => {
  server = await serveOnLoopback(createFakeOpenAiChat({ apiKey: KEY }), { origin: FAKE_LLM_ORIGIN });
  llm = openAiCompatible({ baseUrl: server.url, apiKey: KEY });
});
afterAll(() => server.close());
afterEach(async () => {
  await fetch(`${server.url}/__fake/rules`, { method: "DELETE" });
  await fetch(`${server.url}/__fake/requests`, { method: "DELETE" });
});

async function addRule(rule: FakeChatRule): Promise<void> {
  await fetch(`${server.url}/__fake/rules`, { method: "POST", body: JSON.stringify(rule) });
}

function ask(text: string, extra: Partial<ChatRequest> = {}): ChatRequest {
  return {
    model: "fake-chat-1",
    messages: [
      { role: "system", content: "You are a shop assistant." },
      { role: "user", content: text },
    ],
    ...extra,
  };
}

/** Reads a stream to its end or its error: what came, and what was thrown (null if nothing). */
async function read(stream: AsyncIterable<ChatChunk>, onChunk?: (chunk: ChatChunk) => void): Promise<{ chunks: ChatChunk[]; error: unknown }> {
  const chunks: ChatChunk[] = [];
  try {
    for await (const chunk of stream) {
      chunks.push(chunk);
      onChunk?.(chunk);
    }
  } catch (error) {
    return { chunks, error };
  }
  return { chunks, error: null };
}

async function collect(stream: AsyncIterable<ChatChunk>): Promise<ChatChunk[]> {
  const { chunks, error } = await read(stream);
  if (error) throw error;
  return chunks;
}

async function failureOf(stream: AsyncIterable<ChatChunk>): Promise<LlmError> {
  const { error } = await read(stream);
  expect(error).toBeInstanceOf(LlmError);
  return error as LlmError;
}

function textOf(chunks: readonly ChatChunk[]): string {
  return chunks.map((chunk) => (chunk.type === "delta" ? chunk.text : "")).join("");
}

describe("openAiCompatible: streaming", () => {
  it("yields the reply as several deltas in order, then the usage", async () => {
    const chunks = await collect(llm.stream(ask("do you sell shoes in size 39?")));
    const deltas = chunks.filter((chunk) => chunk.type === "delta");
    expect(deltas.length).toBeGreaterThan(3);
    expect(textOf(chunks)).toBe("(fake model) do you sell shoes in size 39?");
    expect(chunks.at(-1)).toEqual({ type: "usage", inputTokens: expect.any(Number), outputTokens: deltas.length });
  });

  it("sends the model, messages, limits, streaming options and the JSON schema as OpenAI expects", async () => {
    const schema = { type: "object", properties: { commands: { type: "array" } }, required: ["commands"] };
    const chunks = await collect(llm.stream(ask("plan my reply", { temperature: 0.2, maxTokens: 300, jsonSchema: { name: "reply", schema } })));
    expect(JSON.parse(textOf(chunks))).toEqual({ commands: [] });
    const [received] = (await (await fetch(`${server.url}/__fake/requests`)).json()) as { path: string; authorized: boolean; body: unknown }[];
    expect(received).toEqual({
      path: "/v1/chat/completions",
      authorized: true,
      body: {
        model: "fake-chat-1",
        messages: ask("").messages.map((message, i) => (i === 1 ? { ...message, content: "plan my reply" } : message)),
        temperature: 0.2,
        max_tokens: 300,
        stream: true,
        stream_options: { include_usage: true },
        response_format: { type: "json_schema", json_schema: { name: "reply", schema, strict: true } },
      },
    });
  });

  it("leaves out what the request does not set", async () => {
    await collect(llm.stream(ask("hello")));
    const [received] = (await (await fetch(`${server.url}/__fake/requests`)).json()) as { body: Record<string, unknown> }[];
    expect(Object.keys(received?.body ?? {}).sort()).toEqual(["messages", "model", "stream", "stream_options"]);
  });
});

describe("openAiCompatible: failures", () => {
  const cases: [string, FakeChatRule["fault"], LlmFailure][] = [
    ["a 500 answer", "http500", "http"],
    ["a body that ends before the finish reason and [DONE]", "cut", "cut"],
    ["a chunk that is not JSON", "malformed", "malformed"],
  ];
  for (const [what, fault, failure] of cases) {
    it(`throws "${failure}" for ${what}`, async () => {
      await addRule({ match: `fault ${fault}`, fault });
      const error = await failureOf(llm.stream(ask(`fault ${fault}`)));
      expect(error.failure).toBe(failure);
      if (failure === "http") expect(error.message).toContain("500");
    });
  }

  it("yields the text that came before a cut, then throws", async () => {
    await addRule({ match: "cut me", reply: "one two three four five six", fault: "cut" });
    const { chunks, error } = await read(llm.stream(ask("cut me")));
    expect(error).toBeInstanceOf(LlmError);
    expect((error as LlmError).failure).toBe("cut");
    expect(textOf(chunks)).toBe("one two three");
  });

  it('throws "malformed" for JSON that is not a completion chunk, and takes a usage chunk without choices', async () => {
    const answering = (events: string) =>
      openAiCompatible({ baseUrl: "http://llm.local", fetch: async () => new Response(events, { headers: { "content-type": "text/event-stream" } }) });
    expect((await failureOf(answering('data: {"candidates":[{"text":"hi"}]}\n\n').stream(ask("hi")))).failure).toBe("malformed");
    expect((await failureOf(answering('data: {"choices":[{"delta":{"content":7}}]}\n\n').stream(ask("hi")))).failure).toBe("malformed");
    const usageAlone = 'data: {"choices":[{"delta":{"content":"hi"},"finish_reason":"stop"}]}\n\ndata: {"usage":{"prompt_tokens":3,"completion_tokens":1}}\n\n';
    expect(await collect(answering(usageAlone).stream(ask("hi")))).toEqual([
      { type: "delta", text: "hi" },
      { type: "usage", inputTokens: 3, outputTokens: 1 },
    ]);
  });

  it('throws "network" when the server cannot be reached', async () => {
    const closed = await serveOnLoopback(createFakeOpenAiChat(), { origin: FAKE_LLM_ORIGIN });
    await closed.close();
    const error = await failureOf(openAiCompatible({ baseUrl: closed.url }).stream(ask("hello")));
    expect(error.failure).toBe("network");
  });

  it('throws "aborted" when the caller aborts mid-stream', async () => {
    await addRule({ match: "slow one", reply: "a b c d e f g h i j", chunkDelayMs: 30 });
    const abort = new AbortController();
    let deltas = 0;
    const { chunks, error } = await read(llm.stream(ask("slow one", { signal: abort.signal })), (chunk) => {
      if (chunk.type === "delta" && ++deltas === 2) abort.abort();
    });
    expect(error).toBeInstanceOf(LlmError);
    expect((error as LlmError).failure).toBe("aborted");
    expect(textOf(chunks)).toBe("a b");
  });

  it("never puts the API key in an error, even when the server echoes it", async () => {
    const wrongKey = "sk-wrong-fedcba9876543210";
    const error = await failureOf(openAiCompatible({ baseUrl: server.url, apiKey: wrongKey }).stream(ask("hello")));
    expect(error.failure).toBe("http");
    expect(error.message).toContain("401");
    expect(error.message).toContain("Incorrect API key");
    expect(error.message).not.toContain(wrongKey);
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain(wrongKey);
  });
});

describe("chatCompletionsUrl", () => {
  it.each([
    ["http://127.0.0.1:8791", "http://127.0.0.1:8791/v1/chat/completions"],
    ["http://127.0.0.1:8791/", "http://127.0.0.1:8791/v1/chat/completions"],
    ["https://api.openai.com/v1", "https://api.openai.com/v1/chat/completions"],
    ["https://api.openai.com/v1/", "https://api.openai.com/v1/chat/completions"],
    ["https://gateway.example/acct/openai/v1?x=1", "https://gateway.example/acct/openai/v1/chat/completions"],
    [" https://proxy.example/llm ", "https://proxy.example/llm/v1/chat/completions"],
  ])("%s → %s", (base, url) => {
    expect(chatCompletionsUrl(base)).toBe(url);
  });

  it("refuses what is not an http(s) URL, and the adapter will not start with one", () => {
    expect(chatCompletionsUrl("127.0.0.1:8791")).toBeNull();
    expect(chatCompletionsUrl("file:///etc/passwd")).toBeNull();
    expect(() => openAiCompatible({ baseUrl: "not a url" })).toThrow(/not an http/);
  });
});
