import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { every } from "hono/combine";
import { ApiError } from "../../../src/protocol/errors.js";
import type { GatewayEnv } from "../context.js";

/** 2,000 characters of text is at most 8 KB of UTF-8; the rest is JSON framing. */
export const JSON_BODY_LIMIT = 16 * 1024;

const requireJson: MiddlewareHandler<GatewayEnv> = async (c, next) => {
  const type = c.req.header("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (type !== "application/json") {
    throw new ApiError("unsupported_media_type", "send the body as application/json");
  }
  await next();
};

/** A JSON body: `application/json` (else 415), at most `maxBytes` (else 413). Checked before auth work is wasted on it. */
export function jsonBody(maxBytes = JSON_BODY_LIMIT): MiddlewareHandler<GatewayEnv> {
  return every(
    requireJson,
    bodyLimit({
      maxSize: maxBytes,
      onError: () => {
        throw new ApiError("payload_too_large", `the body must be at most ${maxBytes} bytes`);
      },
    }),
  );
}
