import type { MiddlewareHandler } from "hono";
import { ApiError } from "../../../src/protocol/errors.js";
import type { GatewayEnv } from "../context.js";

/** The window of the GUEST_LIMITER binding (wrangler.toml): the longest a refused client waits. */
const WINDOW_S = 60;

/** Per-IP limit for unauthenticated routes; `cf-connecting-ip` is set by Cloudflare's edge. */
export const limitByIp: MiddlewareHandler<GatewayEnv> = async (c, next) => {
  const ip = c.req.header("cf-connecting-ip") ?? "local";
  const { success } = await c.env.GUEST_LIMITER.limit({ key: `guest:${ip}` });
  if (!success) throw new ApiError("rate_limited", "too many guest sessions from this address", { "retry-after": String(WINDOW_S) });
  await next();
};
