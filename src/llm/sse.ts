import { EventSourceParserStream, ParseError } from "eventsource-parser/stream";
import { LlmError } from "./types.js";

/**
 * The longest event, in characters, read before the stream is refused: a model's chunk is a few
 * hundred; a server that never ends its line must not fill the isolate's memory.
 */
export const SSE_MAX_EVENT_CHARS = 1_000_000;

/**
 * The `data` of each server-sent event in a response body, in order. Both adapters read their
 * streams through it (OpenAI-compatible servers and the Workers AI binding speak the same SSE),
 * so line splitting, multi-line `data:` fields and comments are the maintained parser's job.
 *
 * Stopping early (`break`, `return`, a thrown error) cancels the body: the connection is
 * released at once instead of draining the rest of a generation nobody reads. An event longer
 * than {@link SSE_MAX_EVENT_CHARS} throws `LlmError("malformed")`.
 *
 * @example
 * for await (const data of sseData(response.body)) if (data === "[DONE]") break;
 */
export async function* sseData(body: ReadableStream<Uint8Array>): AsyncGenerator<string, void, undefined> {
  const events = new EventSourceParserStream({ maxBufferSize: SSE_MAX_EVENT_CHARS });
  const reader = body.pipeThrough(new TextDecoderStream()).pipeThrough(events).getReader();
  let finished = false;
  try {
    while (true) {
      const next = await reader.read().catch((error: unknown) => {
        finished = true;
        if (error instanceof ParseError) throw new LlmError("malformed", `an event is longer than ${SSE_MAX_EVENT_CHARS} characters`, { cause: error });
        throw error;
      });
      if (next.done) {
        finished = true;
        return;
      }
      yield next.value.data;
    }
  } finally {
    // A cancel after the body already ended or failed has nothing left to release.
    if (!finished) await reader.cancel().catch(() => undefined);
  }
}
