import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ZodError } from "zod";
import { logEvent } from "../../platform/log.js";
import { TRANSIENT_MESSAGE, runtimeFailureOf } from "../../platform/runtime-errors.js";
import type { ErrorBody, ErrorCode } from "../../src/protocol/errors.js";
import { ApiError, ERROR_STATUS } from "../../src/protocol/errors.js";
import type { GatewayEnv } from "./context.js";

/** The error answer of docs/api.md: `{ error: { code, message, requestId } }`. */
export function errorResponse(c: Context<GatewayEnv>, error: ApiError): Response {
  const body: ErrorBody = { error: { code: error.code, message: error.message, requestId: c.get("requestId") ?? "" } };
  return c.json(body, error.status, error.headers);
}

const CODE_OF_STATUS: Partial<Record<number, ErrorCode>> = Object.fromEntries(
  Object.entries(ERROR_STATUS).map(([code, status]) => [status, code as ErrorCode]),
);

/** The one error handler: known errors keep their code, the runtime's failures are a 503 to retry (runtime-errors.ts), anything else is a 500 without details. */
export function onError(error: Error, c: Context<GatewayEnv>): Response {
  if (error instanceof ApiError) return errorResponse(c, error);
  const failure = runtimeFailureOf(error);
  if (failure) {
    const where = { requestId: c.get("requestId"), path: c.req.path, failure, error: String(error) };
    logEvent(failure === "internal" ? "error" : "warn", "runtime failure answered 503", where);
    return errorResponse(c, new ApiError("unavailable", TRANSIENT_MESSAGE, { "retry-after": "1" }));
  }
  if (error instanceof HTTPException) {
    const code = CODE_OF_STATUS[error.status] ?? (error.status < 500 ? "invalid_request" : "internal");
    return errorResponse(c, new ApiError(code, error.message || code.replaceAll("_", " ")));
  }
  logEvent("error", "unhandled error", { requestId: c.get("requestId"), path: c.req.path, error: String(error) });
  return errorResponse(c, new ApiError("internal", "something went wrong; the request id helps us find out what"));
}

/** `text: must not be empty` — the message names the field, as docs/api.md promises. */
export function describeZodError(error: ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "invalid request";
  const path = issue.path.map(String).join(".");
  return path ? `${path}: ${issue.message}` : issue.message;
}

/** `defaultHook` of the OpenAPI app: a failed zod validation becomes a 400 `invalid_request`. */
export function validationHook(result: { success: boolean; error?: unknown }, c: Context<GatewayEnv>): Response | undefined {
  if (result.success) return undefined;
  const message = isZodError(result.error) ? describeZodError(result.error) : "invalid request";
  return errorResponse(c, new ApiError("invalid_request", message));
}

function isZodError(error: unknown): error is ZodError {
  return typeof error === "object" && error !== null && Array.isArray((error as { issues?: unknown }).issues);
}
