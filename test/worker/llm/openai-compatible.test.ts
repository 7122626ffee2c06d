import { describe, expect, it } from "vitest";
import { withDeadlines } from "../../../src/llm/deadlines.js";
import { openAiCompatible } from "../../../src/llm/openai-compatible.js";
import type { ChatChunk } from "../../../src/llm/types.js";
import { LlmError } from "../../../src/llm/types.js";
import { FAKE_LLM_API_KEY, FAKE_LLM_ORIGIN } from "../../fakes/openai-chat.js";

/**
 * The adapter inside workerd, its fetch answered by the fake chat server through vitest's
 * outboundService: what the Worker will do, and how a worker test arranges the fake.
 */
const llm = openAiCompatible({ baseUrl: FAKE_LLM_ORIGIN, apiKey: FAKE_LLM_API_KEY, fetch: (url, init) => fetch(url, init) });

async function read(stream: AsyncIterable<ChatChunk>): Promise<{ deltas: string[]; error: unknown }> {
  const deltas: string[] = [];
  try {
    for await (const chunk of stream) if (chunk.type === "delta") deltas.push(chunk.text);
  } catch (error) {
    return { deltas, error };
  }
  return { deltas, error: null };
}

describe("openAiCompatible in workerd, against the fake", () => {
  it("streams the fake's default reply in pieces", async () => {
    const { deltas, error } = await read(llm.stream({ model: "fake-chat-1", messages: [{ role: "user", content: "workerd says hello" }] }));
    expect(error).toBeNull();
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join("")).toBe("(fake model) workerd says hello");
  });

  it("follows a rule a test posts, and a hung model times out on the first-token deadline", async () => {
    const rules = [
      { match: "worker-llm-commands", commands: [{ type: "handoff" }] },
      { match: "worker-llm-hang", fault: "hang" },
    ];
    expect((await fetch(`${FAKE_LLM_ORIGIN}/__fake/rules`, { method: "POST", body: JSON.stringify(rules) })).ok).toBe(true);
    const json = await read(
      llm.stream({ model: "fake-chat-1", messages: [{ role: "user", content: "worker-llm-commands" }], jsonSchema: { name: "reply", schema: {} } }),
    );
    expect(JSON.parse(json.deltas.join(""))).toEqual({ commands: [{ type: "handoff" }] });
    const hung = await read(
      withDeadlines(llm, { firstTokenMs: 200, totalMs: 10_000 }).stream({ model: "fake-chat-1", messages: [{ role: "user", content: "worker-llm-hang" }] }),
    );
    expect(hung.error).toBeInstanceOf(LlmError);
    expect((hung.error as LlmError).failure).toBe("timeout");
  });
});
