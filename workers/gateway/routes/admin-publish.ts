import { OpenAPIHono, createRoute } from "@hono/zod-openapi";
import type { BotDefinition, CompiledBot } from "../../../src/dialog/index.js";
import { compileBot } from "../../../src/dialog/index.js";
import { PUBLISH_BODY_LIMIT, publishAnswerSchema, publishBodySchema, versionParamsSchema } from "../../../src/protocol/admin.js";
import { ApiError } from "../../../src/protocol/errors.js";
import { canonicalJson } from "../../../src/rollout/canonical-json.js";
import type { GatewayEnv } from "../context.js";
import { jsonBody } from "../middleware/json-body.js";
import { authErrors, bearerSecurity, bodyErrors } from "../openapi.js";
import { adminOnly, catalogOf, definitionHook, errorDoc, registryOf } from "./admin-common.js";

const publishVersion = createRoute({
  method: "put",
  path: "/v1/admin/bots/{bot}/versions/{version}",
  summary: "Publish an immutable bot version (validated and compiled once)",
  security: bearerSecurity,
  middleware: [jsonBody(PUBLISH_BODY_LIMIT), ...adminOnly],
  request: { params: versionParamsSchema, body: { required: true, content: { "application/json": { schema: publishBodySchema } } } },
  responses: {
    201: { description: "published", content: { "application/json": { schema: publishAnswerSchema } } },
    200: { description: "this very definition was already published: nothing changed", content: { "application/json": { schema: publishAnswerSchema } } },
    409: errorDoc("the version exists with another definition: versions are immutable"),
    ...bodyErrors,
    ...authErrors,
  },
});

/** The path names the version; a body that says otherwise is a mistake, not something to overwrite silently. */
function checkIdentity(definition: BotDefinition, bot: string, version: string): void {
  if (definition.id !== bot) throw new ApiError("invalid_request", `id: must be "${bot}", the bot in the path`);
  if (definition.version !== version) throw new ApiError("invalid_request", `version: must be "${version}", the version in the path`);
}

function compileOrRefuse(definition: BotDefinition): CompiledBot {
  try {
    return compileBot(definition);
  } catch (error) {
    throw new ApiError("invalid_request", `the definition does not compile: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Validated (by the route's schema, errors named by path) and compiled here, once, off the
 * registry: the registry only compares and stores. The compiled bot primes this isolate's catalog.
 */
export const adminPublishRoutes = new OpenAPIHono<GatewayEnv>({ defaultHook: definitionHook }).openapi(publishVersion, async (c) => {
  const { bot, version } = c.req.valid("param");
  const definition = c.req.valid("json");
  checkIdentity(definition, bot, version);
  const compiled = compileOrRefuse(definition);
  const by = c.get("principal").userId;
  const result = await registryOf(c.env).publish({ bot, version, body: canonicalJson(definition), by });
  if (result.kind === "conflict") {
    throw new ApiError("conflict", `version "${version}" of "${bot}" exists with another definition; versions are immutable: publish a new version`);
  }
  catalogOf(c.env).prime(compiled);
  const created = result.kind === "created";
  return c.json({ ...result.version, created, rollout: result.rollout }, created ? 201 : 200);
});
