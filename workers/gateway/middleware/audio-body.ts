import type { MiddlewareHandler } from "hono";
import { every } from "hono/combine";
import { ApiError } from "../../../src/protocol/errors.js";
import { VOICE_CONTENT_TYPES, VOICE_MAX_BYTES, voiceContentTypeOf } from "../../../src/protocol/voice.js";
import type { GatewayEnv } from "../context.js";
import { bodyLimit } from "./body-limit.js";

const requireAudio: MiddlewareHandler<GatewayEnv> = async (c, next) => {
  if (voiceContentTypeOf(c.req.header("content-type")) === null) {
    throw new ApiError("unsupported_media_type", `send the recording as one of ${VOICE_CONTENT_TYPES.join(", ")}`);
  }
  await next();
};

/**
 * An audio body: an accepted audio type (else 415), at most VOICE_MAX_BYTES (else 413, by
 * Content-Length up front or while a chunked body streams in). Checked before auth work
 * is spent on it, as for JSON bodies.
 */
export function audioBody(maxBytes = VOICE_MAX_BYTES): MiddlewareHandler<GatewayEnv> {
  return every(
    requireAudio,
    bodyLimit(maxBytes, () => {
      throw new ApiError("payload_too_large", `the recording must be at most ${maxBytes / (1024 * 1024)} MB`);
    }),
  );
}
