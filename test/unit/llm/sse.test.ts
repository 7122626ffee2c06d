import { describe, expect, it } from "vitest";
import { SSE_MAX_EVENT_CHARS, sseData } from "../../../src/llm/sse.js";
import { LlmError } from "../../../src/llm/types.js";

/** A body delivered in exactly these byte pieces; `cancelled` tells whether its reader let it go early. */
function body(pieces: readonly Uint8Array[], options: { close?: boolean } = {}): { stream: ReadableStream<Uint8Array>; cancelled: () => boolean } {
  let cancelled = false;
  let index = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const piece = pieces[index++];
      if (piece) controller.enqueue(piece);
      else if (options.close !== false) controller.close();
    },
    cancel() {
      cancelled = true;
    },
  });
  return { stream, cancelled: () => cancelled };
}

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

async function all(stream: ReadableStream<Uint8Array>): Promise<string[]> {
  const data: string[] = [];
  for await (const item of sseData(stream)) data.push(item);
  return data;
}

describe("sseData", () => {
  it("yields each event's data whole, however the bytes are cut (a character split in two included)", async () => {
    const text = 'data: {"response":"é✓"}\n\n: a comment\r\ndata: line one\r\ndata: line two\r\n\r\nevent: ping\ndata: [DONE]\n\n';
    const encoded = bytes(text);
    const pieces = Array.from({ length: encoded.length }, (_, i) => encoded.slice(i, i + 1));
    expect(await all(body(pieces).stream)).toEqual(['{"response":"é✓"}', "line one\nline two", "[DONE]"]);
  });

  it("cancels the body when its reader stops early", async () => {
    const source = body([bytes("data: 1\n\n"), bytes("data: 2\n\n")], { close: false });
    for await (const data of sseData(source.stream)) if (data === "1") break;
    // The cancel travels back through the decoding pipes a few turns of the event loop later.
    for (let turn = 0; turn < 50 && !source.cancelled(); turn++) await new Promise((resolve) => setTimeout(resolve, 1));
    expect(source.cancelled()).toBe(true);
  });

  it('refuses an event longer than the limit as "malformed"', async () => {
    const endless = body([bytes("data: "), ...Array.from({ length: 11 }, () => bytes("x".repeat(SSE_MAX_EVENT_CHARS / 10)))], { close: false });
    const error = await all(endless.stream).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(LlmError);
    expect((error as LlmError).failure).toBe("malformed");
  });
});
