import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import type { GatewayEnv } from "../context.js";

/** `ALLOWED_ORIGINS`: comma-separated origins of sites that embed the widget, or `*`. */
export function allowedOrigins(setting: string | undefined): string[] {
  return (setting ?? "")
    .split(",")
    .map((origin) => origin.trim())
    .filter(Boolean);
}

/** The allow-list of one `ALLOWED_ORIGINS` value, parsed once per isolate rather than per request. */
let parsed: { setting: string | undefined; allowed: Set<string> } | undefined;

/** Also used by the WebSocket route, which checks the Origin of an upgrade itself. */
export function isAllowedOrigin(setting: string | undefined, origin: string): boolean {
  const current = parsed !== undefined && parsed.setting === setting ? parsed : { setting, allowed: new Set(allowedOrigins(setting)) };
  parsed = current;
  return current.allowed.has("*") || current.allowed.has(origin);
}

const handler = cors({
  origin: (origin, c) => {
    const setting: string | undefined = c.env.ALLOWED_ORIGINS;
    return isAllowedOrigin(setting, origin) ? origin : null;
  },
  allowMethods: ["GET", "POST", "PUT", "DELETE", "OPTIONS"],
  allowHeaders: ["authorization", "content-type", "x-request-id", "traceparent"],
  exposeHeaders: ["x-request-id", "traceparent", "retry-after"],
  maxAge: 600,
});

/** CORS for embedding sites; preflights answered here, before auth. */
export const corsForEmbedders: MiddlewareHandler<GatewayEnv> = handler;
