import { OpenAPIHono, createRoute } from "@hono/zod-openapi";
import { healthSchema } from "../../../src/protocol/conversation.js";
import { PARLEY_VERSION } from "../../version.js";
import type { GatewayEnv } from "../context.js";

const health = createRoute({
  method: "get",
  path: "/healthz",
  summary: "Liveness",
  responses: { 200: { description: "the Worker is up", content: { "application/json": { schema: healthSchema } } } },
});

export const healthRoutes = new OpenAPIHono<GatewayEnv>().openapi(health, (c) => c.json({ ok: true as const, version: PARLEY_VERSION }, 200));
