import { describe, expect, it } from "vitest";
import type { ChatChunk, ChatRequest } from "../../../src/llm/types.js";
import { LlmError } from "../../../src/llm/types.js";
import type { AiTextRunner } from "../../../src/llm/workers-ai.js";
import { workersAi } from "../../../src/llm/workers-ai.js";

const MODEL = "@cf/meta/llama-3.3-70b-instruct-fp8-fast";

interface Call {
  model: string;
  inputs: Record<string, unknown>;
  options: { signal?: AbortSignal } | undefined;
}

/** Stands in for `env.AI`: records each call and answers what the test gives. */
function fakeAi(answer: (call: Call) => unknown): AiTextRunner & { calls: Call[] } {
  const calls: Call[] = [];
  return {
    calls,
    run: async (model, inputs, options) => {
      const call = { model, inputs, options };
      calls.push(call);
      return answer(call);
    },
  };
}

/** An SSE byte stream as the binding returns it, cut into the given pieces (lines may be split anywhere). */
function sse(...pieces: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const piece of pieces) controller.enqueue(encoder.encode(piece));
      controller.close();
    },
  });
}

const ask = (extra: Partial<ChatRequest> = {}): ChatRequest => ({ model: MODEL, messages: [{ role: "user", content: "hi" }], ...extra });

async function read(stream: AsyncIterable<ChatChunk>): Promise<{ chunks: ChatChunk[]; error: unknown }> {
  const chunks: ChatChunk[] = [];
  try {
    for await (const chunk of stream) chunks.push(chunk);
  } catch (error) {
    return { chunks, error };
  }
  return { chunks, error: null };
}

describe("workersAi", () => {
  it("streams the native events as deltas, then the usage of the last event", async () => {
    const ai = fakeAi(() =>
      sse(
        'data: {"response":"Hel',
        'lo"}\n\ndata: {"response":" wor"}\n\n',
        'data: {"response":"ld ✓"}\n\n',
        'data: {"response":"","usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15}}\n\ndata: [DONE]\n\n',
      ),
    );
    const { chunks, error } = await read(workersAi(ai).stream(ask({ maxTokens: 200, temperature: 0.3 })));
    expect(error).toBeNull();
    expect(chunks).toEqual([
      { type: "delta", text: "Hello" },
      { type: "delta", text: " wor" },
      { type: "delta", text: "ld ✓" },
      { type: "usage", inputTokens: 12, outputTokens: 3 },
    ]);
    expect(ai.calls[0]?.model).toBe(MODEL);
    expect(ai.calls[0]?.inputs).toEqual({ messages: [{ role: "user", content: "hi" }], max_tokens: 200, temperature: 0.3, stream: true });
  });

  it("reads the OpenAI-shaped events some Workers AI models stream", async () => {
    const ai = fakeAi(() =>
      sse('data: {"choices":[{"delta":{"content":"Hi"}}]}\n\n', 'data: {"choices":[{"delta":{"content":" there"}}]}\n\ndata: [DONE]\n\n'),
    );
    const { chunks } = await read(workersAi(ai).stream(ask()));
    expect(chunks).toEqual([
      { type: "delta", text: "Hi" },
      { type: "delta", text: " there" },
    ]);
  });

  it("asks for JSON without streaming (JSON mode does not stream) and yields the answer as one delta", async () => {
    const schema = { type: "object", properties: { commands: { type: "array" } } };
    const ai = fakeAi(() => ({ response: { commands: [{ type: "say" }] }, usage: { prompt_tokens: 40, completion_tokens: 9 } }));
    const { chunks } = await read(workersAi(ai).stream(ask({ jsonSchema: { name: "reply", schema } })));
    expect(chunks).toEqual([
      { type: "delta", text: '{"commands":[{"type":"say"}]}' },
      { type: "usage", inputTokens: 40, outputTokens: 9 },
    ]);
    expect(ai.calls[0]?.inputs).toEqual({ messages: [{ role: "user", content: "hi" }], response_format: { type: "json_schema", json_schema: schema } });
  });

  it('throws "cut" when the stream ends before [DONE], after what came', async () => {
    const { chunks, error } = await read(workersAi(fakeAi(() => sse('data: {"response":"Hel"}\n\n'))).stream(ask()));
    expect(chunks).toEqual([{ type: "delta", text: "Hel" }]);
    expect((error as LlmError).failure).toBe("cut");
  });

  it('throws "malformed" for an event that is not JSON, or not a text event', async () => {
    for (const event of ["data: {oops\n\n", 'data: {"response":42}\n\n']) {
      const { error } = await read(workersAi(fakeAi(() => sse(event))).stream(ask()));
      expect(error).toBeInstanceOf(LlmError);
      expect((error as LlmError).failure).toBe("malformed");
    }
    const { error } = await read(workersAi(fakeAi(() => ({ response: "not a stream" }))).stream(ask()));
    expect((error as LlmError).failure).toBe("malformed");
  });

  it('throws "http" with the binding\'s reason when the call fails', async () => {
    const ai = fakeAi(() => {
      throw new Error("3036: Account limited: you have used up your daily free allocation");
    });
    const { error } = await read(workersAi(ai).stream(ask()));
    expect((error as LlmError).failure).toBe("http");
    expect((error as LlmError).message).toContain("3036");
  });

  it('passes the signal to the binding and throws "aborted" when it fires', async () => {
    const abort = new AbortController();
    const ai = fakeAi(
      (call) =>
        new Promise((_, reject) => {
          call.options?.signal?.addEventListener("abort", () => reject(new Error("The operation was aborted")));
        }),
    );
    const reading = read(workersAi(ai).stream(ask({ signal: abort.signal })));
    await new Promise((resolve) => setTimeout(resolve, 5));
    abort.abort();
    const { error } = await reading;
    expect((error as LlmError).failure).toBe("aborted");
    expect(ai.calls[0]?.options?.signal).toBe(abort.signal);
  });
});
