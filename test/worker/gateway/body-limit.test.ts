import { describe, expect, it } from "vitest";
import { DRAIN_AT_MOST } from "../../../workers/gateway/middleware/body-limit.js";
import { JSON_BODY_LIMIT } from "../../../workers/gateway/middleware/json-body.js";
import { call, errorOf, say, tokenFor } from "../helpers.js";

/** A streamed (chunked) body of `chunks` × `chunkSize` bytes that records how much of it was read, and whether it was cancelled. */
function streamedBody(chunks: number, chunkSize: number) {
  const seen = { pulled: 0, cancelled: false };
  const chunk = new TextEncoder().encode("a".repeat(chunkSize));
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (seen.pulled === chunks) return controller.close();
      seen.pulled++;
      controller.enqueue(chunk);
    },
    cancel() {
      seen.cancelled = true;
    },
  });
  return { body, seen };
}

function postStreamed(token: string, body: ReadableStream<Uint8Array>): Promise<Response> {
  return call("/v1/messages", { method: "POST", token, body, headers: { "content-type": "application/json" } });
}

describe("a chunked body over the limit", () => {
  it("is answered 413, read to its end so the connection stays clean, and the next request is unharmed", async () => {
    const { body, seen } = streamedBody(10, 4096); // 40 KB, no Content-Length
    const response = await postStreamed(await tokenFor("chunked-sender"), body);
    expect(response.status).toBe(413);
    expect(await errorOf(response)).toMatchObject({ code: "payload_too_large", message: `the body must be at most ${JSON_BODY_LIMIT} bytes` });
    expect(seen).toEqual({ pulled: 10, cancelled: false });
    const next = await say(await tokenFor("next-in-line"), "hello", "after-chunked");
    expect(next.status).toBe(200);
  });

  it("is cancelled rather than read forever once it passes the drain limit", async () => {
    const chunkSize = 64 * 1024;
    const { body, seen } = streamedBody(Math.ceil((DRAIN_AT_MOST * 2) / chunkSize), chunkSize);
    const response = await postStreamed(await tokenFor("endless-sender"), body);
    expect(response.status).toBe(413);
    // Cancelled on the way: the sender was not read to its end (the runtime's pipe may pull a little ahead).
    expect(seen.pulled * chunkSize).toBeLessThan(DRAIN_AT_MOST * 2);
  });

  it("within the limit, is read whole and handled like any other", async () => {
    const text = JSON.stringify({ text: "hello", clientMessageId: "streamed-ok" });
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        const bytes = new TextEncoder().encode(text);
        controller.enqueue(bytes.subarray(0, 10));
        controller.enqueue(bytes.subarray(10));
        controller.close();
      },
    });
    const response = await postStreamed(await tokenFor("chunked-small"), body);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ duplicate: false });
  });
});
