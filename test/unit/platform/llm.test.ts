import { describe, expect, it } from "vitest";
import { llmProviderOf } from "../../../platform/llm.js";

/** Enough of the `AI` binding to be told apart from its absence; it is never called here. */
const ai = { run: async () => null } as unknown as Ai;

describe("llmProviderOf", () => {
  it("connects the OpenAI-compatible server LLM_BASE_URL names", () => {
    expect(llmProviderOf({ LLM_BASE_URL: "http://127.0.0.1:8791", LLM_API_KEY: "sk-x" }, "openai-compatible")?.name).toBe("openai-compatible");
    expect(llmProviderOf({ LLM_BASE_URL: "https://api.openai.com/v1" }, "openai-compatible")?.name).toBe("openai-compatible");
  });

  it("is null when LLM_BASE_URL is unset, blank or not an http(s) URL: Parley then runs without a model", () => {
    expect(llmProviderOf({}, "openai-compatible")).toBeNull();
    expect(llmProviderOf({ LLM_BASE_URL: "  " }, "openai-compatible")).toBeNull();
    expect(llmProviderOf({ LLM_BASE_URL: "127.0.0.1:8791" }, "openai-compatible")).toBeNull();
  });

  it("uses the AI binding for workers-ai, and is null without it", () => {
    expect(llmProviderOf({ AI: ai }, "workers-ai")?.name).toBe("workers-ai");
    expect(llmProviderOf({ LLM_BASE_URL: "http://127.0.0.1:8791" }, "workers-ai")).toBeNull();
  });
});
