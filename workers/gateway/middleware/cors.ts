import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import type { GatewayEnv } from "../context.js";

/** `ALLOWED_ORIGINS`: comma-separated origins of sites that embed the widget, or `*`. */
export function allowedOrigins(setting: string | undefined): string[] {
  return (setting ?? "").split(",").map((origin) => origin.trim()).filter(Boolean);
}

/** CORS for embedding sites; preflights answered here, before auth. */
export const corsForEmbedders: MiddlewareHandler<GatewayEnv> = (c, next) =>
  cors({
    origin: (origin) => {
      const allowed = allowedOrigins(c.env.ALLOWED_ORIGINS);
      return allowed.includes("*") || allowed.includes(origin) ? origin : null;
    },
    allowMethods: ["GET", "POST", "PUT", "DELETE", "OPTIONS"],
    allowHeaders: ["authorization", "content-type", "x-request-id", "traceparent"],
    exposeHeaders: ["x-request-id", "traceparent", "retry-after"],
    maxAge: 600,
  })(c, next);
