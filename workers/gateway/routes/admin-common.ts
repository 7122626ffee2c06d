import type { Context } from "hono";
import type { BotCatalog } from "../../../platform/bot-catalog.js";
import { DEFAULT_ROLLOUT_TTL_MS, sharedCatalog } from "../../../platform/bot-catalog.js";
import type { Env } from "../../../platform/env.js";
import { formatPath } from "../../../src/dialog/index.js";
import { ApiError, errorBodySchema } from "../../../src/protocol/errors.js";
import type { GatewayEnv } from "../context.js";
import { errorResponse, validationHook } from "../errors.js";
import { authenticate, requireScope } from "../middleware/auth.js";

/** Every admin route: a verified token with the `admin` scope (401, then 403). */
export const adminOnly = [authenticate, requireScope("admin")];

/** An error answer in the OpenAPI document (the shared ones are in ../openapi.ts). */
export function errorDoc(description: string) {
  return { description, content: { "application/json": { schema: errorBodySchema } } };
}

/** The one registry object. Admin routes may call it directly: they are rare, turns never do. */
export function registryOf(env: Env) {
  return env.REGISTRY.getByName("global");
}

/** The isolate's catalog, shared with the actors running in this isolate. */
export function catalogOf(env: Env): BotCatalog {
  return sharedCatalog(env.REGISTRY, Number(env.ROLLOUT_TTL_MS ?? DEFAULT_ROLLOUT_TTL_MS));
}

interface ValidationResult {
  success: boolean;
  error?: unknown;
  target?: string;
}

/**
 * Like `validationHook`, but a bot definition's error names its path the way authors
 * read it: `flows.check_stock.steps[2].slot: unknown slot "colour"`.
 */
export function definitionHook(result: ValidationResult, c: Context<GatewayEnv>): Response | undefined {
  if (result.success || result.target !== "json" || !hasIssues(result.error)) return validationHook(result, c);
  const issue = result.error.issues[0];
  const path = formatPath(issue?.path ?? []);
  const message = issue?.message ?? "invalid bot definition";
  return errorResponse(c, new ApiError("invalid_request", path ? `${path}: ${message}` : message));
}

function hasIssues(error: unknown): error is { issues: { path: PropertyKey[]; message: string }[] } {
  return typeof error === "object" && error !== null && Array.isArray((error as { issues?: unknown }).issues);
}
