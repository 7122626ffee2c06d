import { OpenAPIHono } from "@hono/zod-openapi";
import { ApiError } from "../../src/protocol/errors.js";
import type { GatewayEnv } from "./context.js";
import { errorResponse, onError } from "./errors.js";
import { corsForEmbedders } from "./middleware/cors.js";
import { requestId } from "./middleware/request-id.js";
import { securityHeaders } from "./middleware/security-headers.js";
import { telemetry } from "./middleware/telemetry.js";
import { serveOpenApiDocument } from "./openapi.js";
import { adminRoutes } from "./routes/admin.js";
import { agentRoutes } from "./routes/agent.js";
import { conversationRoutes } from "./routes/conversation.js";
import { healthRoutes } from "./routes/health.js";
import { identityRoutes } from "./routes/identity.js";
import { messageRoutes } from "./routes/messages.js";
import { metricsRoutes } from "./routes/metrics.js";
import { paymentCallbackRoutes } from "./routes/payments-callback.js";
import { sessionRoutes } from "./routes/sessions.js";
import { voiceRoutes } from "./routes/voice.js";
import { wsRoutes } from "./routes/ws.js";

/**
 * The gateway: request id and trace context, telemetry (a log line and metrics per request),
 * CORS, then the routes. Authentication is per route (see each route's `middleware`), so
 * public routes stay public.
 */
export function createGateway(): OpenAPIHono<GatewayEnv> {
  const app = new OpenAPIHono<GatewayEnv>();
  app.use("*", requestId);
  app.use("*", telemetry);
  app.use("*", securityHeaders);
  app.use("*", async (c, next) => {
    await next();
    if (!c.res.headers.has("cache-control")) c.header("cache-control", "no-store");
  });
  app.use("/v1/*", corsForEmbedders);
  app.route("/", healthRoutes);
  app.route("/", sessionRoutes);
  app.route("/", identityRoutes);
  app.route("/", messageRoutes);
  app.route("/", conversationRoutes);
  app.route("/", adminRoutes);
  app.route("/", agentRoutes);
  app.route("/", wsRoutes);
  app.route("/", voiceRoutes);
  app.route("/", metricsRoutes);
  app.route("/", paymentCallbackRoutes);
  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer", bearerFormat: "JWT" });
  serveOpenApiDocument(app);
  app.notFound((c) => errorResponse(c, new ApiError("not_found", `no route for ${c.req.method} ${c.req.path}`)));
  app.onError(onError);
  return app;
}

export const gateway = createGateway();
