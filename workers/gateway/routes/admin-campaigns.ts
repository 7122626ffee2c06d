import { OpenAPIHono, createRoute } from "@hono/zod-openapi";
import type { CampaignView } from "../../../durable-objects/campaign/campaign-coordinator.js";
import type { Env } from "../../../platform/env.js";
import {
  campaignAnswerSchema,
  campaignListSchema,
  campaignParamsSchema,
  createAnswerSchema,
  reconcileAnswerSchema,
  reconcileQuerySchema,
  statusAnswerSchema,
} from "../../../src/campaign/api.js";
import type { ShardLedger } from "../../../src/campaign/ledger.js";
import { emptyLedger, reconcile, sumLedgers } from "../../../src/campaign/ledger.js";
import { campaignDefinitionSchema } from "../../../src/campaign/schema.js";
import { shardName } from "../../../src/campaign/shard-of.js";
import type { AdminStatus } from "../../../src/campaign/status.js";
import { campaignStatus } from "../../../src/campaign/status.js";
import { ApiError } from "../../../src/protocol/errors.js";
import type { GatewayEnv } from "../context.js";
import { jsonBody } from "../middleware/json-body.js";
import { authErrors, bearerSecurity, bodyErrors } from "../openapi.js";
import { adminOnly, definitionHook, errorDoc } from "./admin-common.js";
import { checkWithProvider } from "./provider-check.js";

const json = <T>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });
const notFound = { 404: errorDoc("no such campaign") };
const params = { params: campaignParamsSchema };

const coordinatorOf = (env: Env, campaign: string) => env.CAMPAIGN_COORDINATOR.getByName(campaign);
const indexOf = (env: Env) => env.CAMPAIGN_INDEX.getByName("campaign-index");

const createCampaign = createRoute({
  method: "post",
  path: "/v1/admin/campaigns",
  summary: "Create a campaign: budget and prize counts split over its shards",
  security: bearerSecurity,
  middleware: [jsonBody(), ...adminOnly],
  request: { body: { required: true, content: { "application/json": { schema: campaignDefinitionSchema } } } },
  responses: {
    201: json(createAnswerSchema, "created"),
    200: json(createAnswerSchema, "this very definition exists: nothing changed"),
    409: errorDoc("the id exists with another definition"),
    ...bodyErrors,
    ...authErrors,
  },
});

const listCampaigns = createRoute({
  method: "get",
  path: "/v1/admin/campaigns",
  summary: "Every campaign's id, name, dates and status",
  security: bearerSecurity,
  middleware: adminOnly,
  responses: { 200: json(campaignListSchema, "the campaigns, by id"), ...authErrors },
});

const getCampaign = createRoute({
  method: "get",
  path: "/v1/admin/campaigns/{campaign}",
  summary: "A campaign's definition, status and totals over its shards and coordinator",
  security: bearerSecurity,
  middleware: adminOnly,
  request: params,
  responses: { 200: json(campaignAnswerSchema, "the campaign"), ...notFound, ...authErrors },
});

const reconcileCampaign = createRoute({
  method: "get",
  path: "/v1/admin/campaigns/{campaign}/reconcile",
  summary:
    "Every shard's ledger and their sum against the budget and prize counts (and with ?provider=true, every cash win against the payment provider); every difference reported",
  security: bearerSecurity,
  middleware: adminOnly,
  request: { ...params, query: reconcileQuerySchema },
  responses: { 200: json(reconcileAnswerSchema, "the books, `ok` when they balance"), ...notFound, ...authErrors },
});

function statusRoute(action: "pause" | "resume" | "end", summary: string) {
  return createRoute({
    method: "post",
    path: `/v1/admin/campaigns/{campaign}/${action}`,
    summary,
    security: bearerSecurity,
    middleware: adminOnly,
    request: params,
    responses: { 200: json(statusAnswerSchema, "the status, pushed to every shard"), 409: errorDoc("the campaign has ended"), ...notFound, ...authErrors },
  });
}

async function viewOrNotFound(env: Env, campaign: string): Promise<CampaignView> {
  const view = await coordinatorOf(env, campaign).get(campaign);
  if (!view) throw new ApiError("not_found", `no campaign "${campaign}"`);
  return view;
}

async function ledgersOf(env: Env, view: CampaignView): Promise<ShardLedger[]> {
  const { id, shards } = view.definition;
  const ledgers = await Promise.all(Array.from({ length: shards }, (_, i) => env.CAMPAIGN_SHARD.getByName(shardName(id, i)).ledger(id, i)));
  return ledgers.map((ledger, i) => ledger ?? emptyLedger(i));
}

async function answerOf(env: Env, view: CampaignView) {
  const totals = sumLedgers(await ledgersOf(env, view), view.remainder);
  return { definition: view.definition, status: view.status, adminStatus: view.adminStatus, createdAt: view.createdAt, totals };
}

function indexEntryOf(view: CampaignView) {
  const { id, name, startsAt, endsAt } = view.definition;
  return { id, name, startsAt, endsAt, adminStatus: view.adminStatus, createdAt: view.createdAt };
}

/** A body's error names its path the way authors read it (`prizes[1].amount: …`), like a bot definition's. */
export const adminCampaignRoutes = new OpenAPIHono<GatewayEnv>({ defaultHook: definitionHook });

adminCampaignRoutes.openapi(createCampaign, async (c) => {
  const definition = c.req.valid("json");
  const result = await coordinatorOf(c.env, definition.id).create(definition);
  if (result.kind === "conflict") throw new ApiError("conflict", `campaign "${definition.id}" exists with another definition`);
  await indexOf(c.env).put(indexEntryOf(result.campaign));
  const created = result.kind === "created";
  return c.json({ ...(await answerOf(c.env, result.campaign)), created }, created ? 201 : 200);
});

adminCampaignRoutes.openapi(listCampaigns, async (c) => {
  const now = Date.now();
  const entries = await indexOf(c.env).list();
  const campaigns = entries.map(({ id, name, startsAt, endsAt, adminStatus }) => ({
    id,
    name,
    startsAt,
    endsAt,
    adminStatus,
    status: campaignStatus({ startsAt, endsAt }, adminStatus, now),
  }));
  return c.json({ campaigns }, 200);
});

adminCampaignRoutes.openapi(getCampaign, async (c) => {
  const { campaign } = c.req.valid("param");
  return c.json(await answerOf(c.env, await viewOrNotFound(c.env, campaign)), 200);
});

adminCampaignRoutes.openapi(reconcileCampaign, async (c) => {
  const { campaign } = c.req.valid("param");
  const view = await viewOrNotFound(c.env, campaign);
  const shards = await ledgersOf(c.env, view);
  const coordinator = { remainder: view.remainder, grantedByShard: view.grantedByShard };
  const books = reconcile(view.definition, coordinator, shards);
  const provider = c.req.valid("query").provider === "true" ? await checkWithProvider(c.env, view) : undefined;
  const ok = books.ok && (provider === undefined || provider.differences.length === 0);
  return c.json({ ...books, ok, ...(provider ? { provider } : {}), coordinator, shards, totals: sumLedgers(shards, view.remainder) }, 200);
});

const STATUS_ACTIONS: [route: ReturnType<typeof statusRoute>, status: AdminStatus][] = [
  [statusRoute("pause", "Pause draws (every shard answers `closed` until resumed)"), "paused"],
  [statusRoute("resume", "Resume a paused campaign"), "active"],
  [statusRoute("end", "End the campaign now, for good"), "ended"],
];

for (const [route, status] of STATUS_ACTIONS) {
  adminCampaignRoutes.openapi(route, async (c) => {
    const { campaign } = c.req.valid("param");
    const result = await coordinatorOf(c.env, campaign).setStatus(campaign, status);
    if (!result.ok && result.reason === "unknown_campaign") throw new ApiError("not_found", `no campaign "${campaign}"`);
    if (!result.ok) throw new ApiError("conflict", `campaign "${campaign}" has ended; an ended campaign stays ended`);
    await indexOf(c.env).put(indexEntryOf(result.campaign));
    const { status: shown, adminStatus } = result.campaign;
    return c.json({ id: campaign, status: shown, adminStatus, changed: result.changed }, 200);
  });
}
