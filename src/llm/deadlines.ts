import type { ChatChunk, ChatRequest, LlmProvider } from "./types.js";
import { LlmError } from "./types.js";

export interface Deadlines {
  /** The first text delta must arrive within this many ms of the call. */
  firstTokenMs: number;
  /** The whole stream, last chunk included, must end within this many ms of the call. */
  totalMs: number;
}

/** Timers, injectable; the defaults are the global ones (they work in workerd too). */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const globalTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * The provider with deadlines: its stream throws `LlmError("timeout")` when no text delta came
 * within `firstTokenMs`, or when the stream has not ended within `totalMs`, and in both cases
 * aborts the provider's request (the signal it receives is its own, chained to the caller's).
 * A provider that ignores its signal is still given up on at the deadline.
 *
 * @example
 * const llm = withDeadlines(openAiCompatible({ baseUrl }), { firstTokenMs: 2_000, totalMs: 15_000 });
 */
export function withDeadlines(provider: LlmProvider, deadlines: Deadlines, timers: Timers = globalTimers): LlmProvider {
  return { name: provider.name, stream: (request) => streamWithDeadlines(provider, request, deadlines, timers) };
}

async function* streamWithDeadlines(provider: LlmProvider, request: ChatRequest, deadlines: Deadlines, timers: Timers): AsyncGenerator<ChatChunk> {
  const controller = new AbortController();
  const forward = () => controller.abort(request.signal?.reason);
  if (request.signal?.aborted) forward();
  request.signal?.addEventListener("abort", forward, { once: true });

  let expire: (error: LlmError) => void = () => undefined;
  const expired = new Promise<never>((_, reject) => {
    expire = (error) => {
      reject(error);
      controller.abort(error);
    };
  });
  // Between two reads nobody awaits `expired`: without a handler its rejection would be reported as unhandled.
  expired.catch(() => undefined);
  const firstToken = timers.setTimeout(
    () => expire(new LlmError("timeout", `${provider.name}: no text within ${deadlines.firstTokenMs} ms`)),
    deadlines.firstTokenMs,
  );
  const total = timers.setTimeout(
    () => expire(new LlmError("timeout", `${provider.name}: the reply took longer than ${deadlines.totalMs} ms`)),
    deadlines.totalMs,
  );

  const iterator = provider.stream({ ...request, signal: controller.signal })[Symbol.asyncIterator]();
  let done = false;
  try {
    while (true) {
      const next = iterator.next();
      // The provider's own error after our abort ("aborted") is not the story: the deadline is.
      next.catch(() => undefined);
      const result = await Promise.race([next, expired]);
      if (result.done) {
        done = true;
        return;
      }
      if (result.value.type === "delta" && result.value.text) timers.clearTimeout(firstToken);
      yield result.value;
    }
  } finally {
    timers.clearTimeout(firstToken);
    timers.clearTimeout(total);
    request.signal?.removeEventListener("abort", forward);
    if (!done) {
      controller.abort(new LlmError("aborted", `${provider.name}: the reader stopped`));
      // Not awaited: a provider stuck in a read it ignores the abort of must not hold the caller.
      iterator.return?.()?.catch(() => undefined);
    }
  }
}
