import { EventSourceParserStream } from "eventsource-parser/stream";

/**
 * The `data` of each server-sent event in a response body, in order. Both adapters read their
 * streams through it (OpenAI-compatible servers and the Workers AI binding speak the same SSE),
 * so line splitting, multi-line `data:` fields and comments are the maintained parser's job.
 *
 * Stopping early (`break`, `return`, a thrown error) cancels the body: the connection is
 * released at once instead of draining the rest of a generation nobody reads.
 *
 * @example
 * for await (const data of sseData(response.body)) if (data === "[DONE]") break;
 */
export async function* sseData(body: ReadableStream<Uint8Array>): AsyncGenerator<string, void, undefined> {
  const reader = body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()).getReader();
  let finished = false;
  try {
    while (true) {
      const next = await reader.read();
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
