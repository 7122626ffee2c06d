import { describe, expect, it } from "vitest";
import { CircuitBreaker, withBreaker } from "../../../src/llm/breaker.js";
import type { ChatChunk, LlmFailure, LlmProvider } from "../../../src/llm/types.js";
import { LlmError } from "../../../src/llm/types.js";

function clock(): { now: () => number; advance: (ms: number) => void } {
  let t = 1_000_000;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

describe("CircuitBreaker", () => {
  it("stays closed below the threshold, and a success resets the count", () => {
    const breaker = new CircuitBreaker({ failureThreshold: 3, now: clock().now });
    breaker.failure();
    breaker.failure();
    breaker.success();
    breaker.failure();
    breaker.failure();
    expect(breaker.state).toBe("closed");
    expect(breaker.allow()).toBe(true);
  });

  it("opens after the threshold of consecutive failures and refuses calls for the cooldown", () => {
    const time = clock();
    const breaker = new CircuitBreaker({ failureThreshold: 3, cooldownMs: 30_000, now: time.now });
    for (let i = 0; i < 3; i++) breaker.failure();
    expect(breaker.state).toBe("open");
    expect(breaker.allow()).toBe(false);
    time.advance(29_999);
    expect(breaker.allow()).toBe(false);
  });

  it("after the cooldown lets exactly one trial through; its success closes the circuit", () => {
    const time = clock();
    const breaker = new CircuitBreaker({ failureThreshold: 2, cooldownMs: 1_000, now: time.now });
    breaker.failure();
    breaker.failure();
    time.advance(1_000);
    expect(breaker.state).toBe("half-open");
    expect(breaker.allow()).toBe(true);
    expect(breaker.allow()).toBe(false);
    breaker.success();
    expect(breaker.state).toBe("closed");
    expect(breaker.allow()).toBe(true);
    expect(breaker.allow()).toBe(true);
  });

  it("a failed trial opens it again for a whole cooldown", () => {
    const time = clock();
    const breaker = new CircuitBreaker({ failureThreshold: 2, cooldownMs: 1_000, now: time.now });
    breaker.failure();
    breaker.failure();
    time.advance(1_500);
    expect(breaker.allow()).toBe(true);
    breaker.failure();
    expect(breaker.state).toBe("open");
    time.advance(999);
    expect(breaker.allow()).toBe(false);
    time.advance(1);
    expect(breaker.allow()).toBe(true);
  });

  it("late failures of calls made before it opened do not stretch the cooldown", () => {
    const time = clock();
    const breaker = new CircuitBreaker({ failureThreshold: 2, cooldownMs: 1_000, now: time.now });
    breaker.failure();
    breaker.failure();
    time.advance(800);
    breaker.failure();
    time.advance(200);
    expect(breaker.state).toBe("half-open");
  });

  it("defaults to 5 failures and 30 s", () => {
    const time = clock();
    const breaker = new CircuitBreaker({ now: time.now });
    for (let i = 0; i < 4; i++) breaker.failure();
    expect(breaker.state).toBe("closed");
    breaker.failure();
    expect(breaker.state).toBe("open");
    time.advance(30_000);
    expect(breaker.state).toBe("half-open");
  });
});

/** A provider that answers "ok", or fails with the next failure queued. */
function scripted(failures: (LlmFailure | null)[]): LlmProvider & { calls: number } {
  const provider = {
    name: "scripted",
    calls: 0,
    async *stream(): AsyncGenerator<ChatChunk> {
      provider.calls++;
      const failure = failures.shift() ?? null;
      if (failure) throw new LlmError(failure, `scripted ${failure}`);
      yield { type: "delta", text: "ok" };
    },
  };
  return provider;
}

async function outcome(provider: LlmProvider): Promise<string> {
  try {
    let text = "";
    for await (const chunk of provider.stream({ model: "m", messages: [] })) if (chunk.type === "delta") text += chunk.text;
    return text;
  } catch (error) {
    return error instanceof LlmError ? error.failure : "not an LlmError";
  }
}

describe("withBreaker", () => {
  it("refuses at once with circuit_open, without calling the provider, once it has failed enough", async () => {
    const time = clock();
    const inner = scripted(["timeout", "http", "cut"]);
    const llm = withBreaker(inner, new CircuitBreaker({ failureThreshold: 3, cooldownMs: 1_000, now: time.now }));
    expect([await outcome(llm), await outcome(llm), await outcome(llm)]).toEqual(["timeout", "http", "cut"]);
    expect(await outcome(llm)).toBe("circuit_open");
    expect(inner.calls).toBe(3);
    time.advance(1_000);
    expect(await outcome(llm)).toBe("ok");
    expect(await outcome(llm)).toBe("ok");
    expect(inner.calls).toBe(5);
  });

  it("does not count the caller's aborts against the provider, and an aborted trial frees the slot", async () => {
    const time = clock();
    const breaker = new CircuitBreaker({ failureThreshold: 2, cooldownMs: 1_000, now: time.now });
    const llm = withBreaker(scripted(["aborted", "aborted", "network", "network", "aborted"]), breaker);
    await outcome(llm);
    await outcome(llm);
    expect(breaker.state).toBe("closed");
    await outcome(llm);
    await outcome(llm);
    expect(breaker.state).toBe("open");
    time.advance(1_000);
    expect(await outcome(llm)).toBe("aborted");
    expect(breaker.state).toBe("half-open");
    expect(await outcome(llm)).toBe("ok");
    expect(breaker.state).toBe("closed");
  });
});
