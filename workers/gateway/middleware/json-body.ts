import type { MiddlewareHandler } from "hono";
import { every } from "hono/combine";
import { ApiError } from "../../../src/protocol/errors.js";
import type { GatewayEnv } from "../context.js";
import { bodyLimit } from "./body-limit.js";

/** 2,000 characters of text is at most 8 KB of UTF-8; the rest is JSON framing. */
export const JSON_BODY_LIMIT = 16 * 1024;

/**
 * `curl -d '{…}'` sends `application/x-www-form-urlencoded`, and a bare `fetch` with a string
 * body sends `text/plain` or nothing: those bodies are read as JSON (bad JSON is then a 400),
 * so the one-line curl session works. Anything else (forms with files, audio, XML…) is a 415.
 */
const READ_AS_JSON = new Set(["", "application/x-www-form-urlencoded", "text/plain"]);
const JSON_TYPE = /^application\/([\w.-]+\+)?json$/;

const requireJson: MiddlewareHandler<GatewayEnv> = async (c, next) => {
  const type = c.req.header("content-type")?.split(";")[0]?.trim().toLowerCase() ?? "";
  if (!JSON_TYPE.test(type)) {
    if (!READ_AS_JSON.has(type)) throw new ApiError("unsupported_media_type", "send the body as application/json");
    const headers = new Headers(c.req.raw.headers);
    headers.set("content-type", "application/json");
    c.req.raw = new Request(c.req.raw, { headers });
  }
  await next();
};

/** A JSON body: `application/json` (else 415), at most `maxBytes` (else 413). Checked before auth work is wasted on it. */
export function jsonBody(maxBytes = JSON_BODY_LIMIT): MiddlewareHandler<GatewayEnv> {
  return every(
    requireJson,
    bodyLimit(maxBytes, () => {
      throw new ApiError("payload_too_large", `the body must be at most ${maxBytes} bytes`);
    }),
  );
}
