import type { Context, MiddlewareHandler } from "hono";
import type { GatewayEnv } from "../context.js";

/**
 * How much of an over-long body is still read (and thrown away) after the limit is passed:
 * above every body Parley accepts (5 MB of audio). An answer sent while the client is still
 * sending leaves the rest of the body unread on the connection; locally, wrangler's dev proxy
 * then reused its connection to workerd and the next request — anyone's — failed with 503
 * "Your worker restarted mid-request" (cancelling the rest does the same). Reading the rest
 * lets the exchange end cleanly. Past this much the body is cancelled: a client that sends
 * more is not worth holding the Worker for, and in production the edge, not a shared local
 * proxy, owns the client's connection.
 */
export const DRAIN_AT_MOST = 8 * 1024 * 1024;

/**
 * At most `maxSize` bytes of body, else `onError`'s answer (413). A declared Content-Length is
 * checked up front; a chunked body is counted as it streams in, and on passing the limit what
 * is left is drained (up to DRAIN_AT_MOST) or cancelled, never left half-read. The body read is
 * handed on as a buffered Request, so the handler reads it as usual.
 */
export function bodyLimit(maxSize: number, onError: (c: Context<GatewayEnv>) => never): MiddlewareHandler<GatewayEnv> {
  return async (c, next) => {
    const body = c.req.raw.body;
    if (!body) return next();
    const declared = c.req.raw.headers.has("transfer-encoding") ? null : c.req.raw.headers.get("content-length");
    if (declared !== null && Number(declared) > maxSize) {
      await discard(body.getReader());
      onError(c);
    }
    const reader = body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      size += read.value.byteLength;
      if (size > maxSize) {
        await discard(reader);
        onError(c);
      }
      chunks.push(read.value);
    }
    c.req.raw = new Request(c.req.raw, { body: concat(chunks, size) });
    return next();
  };
}

/** Reads what is left of a refused body, up to DRAIN_AT_MOST, then cancels whatever remains. */
async function discard(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  let drained = 0;
  try {
    while (drained <= DRAIN_AT_MOST) {
      const read = await reader.read();
      if (read.done) return;
      drained += read.value.byteLength;
    }
    await reader.cancel("body too large");
  } catch {
    // The client went away: nothing left to read.
  }
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  const whole = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    whole.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return whole;
}
