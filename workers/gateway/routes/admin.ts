import { OpenAPIHono } from "@hono/zod-openapi";
import type { GatewayEnv } from "../context.js";
import { adminBotRoutes } from "./admin-bots.js";
import { adminCampaignRoutes } from "./admin-campaigns.js";
import { adminConversationRoutes } from "./admin-conversations.js";
import { adminHandoffRoutes } from "./admin-handoff.js";
import { adminParseRoutes } from "./admin-parse.js";
import { adminPublishRoutes } from "./admin-publish.js";

/** Every `/v1/admin/*` route of docs/api.md except stats: bots, versions, rollout, parse, any conversation. */
export const adminRoutes = new OpenAPIHono<GatewayEnv>()
  .route("/", adminPublishRoutes)
  .route("/", adminBotRoutes)
  .route("/", adminParseRoutes)
  .route("/", adminConversationRoutes)
  .route("/", adminCampaignRoutes)
  .route("/", adminHandoffRoutes);
