import { OpenAPIHono } from "@hono/zod-openapi";
import type { GatewayEnv } from "../context.js";
import { agentEntryRoutes } from "./agent-entries.js";
import { agentQueueRoutes } from "./agent-queues.js";
import { agentWsRoutes } from "./agent-ws.js";

/** The agent API of human handoff (docs/api.md → Agents): the socket, the queues, their entries. */
export const agentRoutes = new OpenAPIHono<GatewayEnv>();
agentRoutes.route("/", agentWsRoutes);
agentRoutes.route("/", agentQueueRoutes);
agentRoutes.route("/", agentEntryRoutes);
