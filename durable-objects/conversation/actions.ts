import type { Env } from "../../platform/env.js";
import { logEvent } from "../../platform/log.js";
import type { ActionOutcome } from "../../src/conversation/turn.js";
import type { ActionRequest, Json } from "../../src/dialog/index.js";
import { builtinActions } from "../../src/dialog/index.js";
import type { TraceContext } from "../../src/metrics/trace.js";
import { childTrace, traceHeaders } from "../../src/metrics/trace.js";
import { hmacHex, importHmacKey } from "../../src/security/mac.js";

/** A webhook that has not answered by then has failed: the flow takes its failure branch. */
export const WEBHOOK_TIMEOUT_MS = 5000;

/**
 * Runs a flow's `call`: a built-in in memory, or a webhook over HTTPS. Never throws. A
 * webhook call continues the turn's trace (`traceparent`, and `baggage` with the user's hash).
 */
export async function performAction(
  request: ActionRequest,
  env: Pick<Env, "WEBHOOK_SECRET">,
  timeoutMs = WEBHOOK_TIMEOUT_MS,
  trace?: TraceContext,
): Promise<ActionOutcome> {
  try {
    if (request.kind === "builtin") {
      const action = builtinActions[request.name];
      if (!action) return { ok: false, error: `unknown action "${request.name}"` };
      return { ok: true, result: action(request.args) };
    }
    return await callWebhook(request, env, timeoutMs, trace);
  } catch (error) {
    logEvent("warn", "action failed", { action: request.name, error: String(error) });
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

async function callWebhook(
  request: ActionRequest,
  env: Pick<Env, "WEBHOOK_SECRET">,
  timeoutMs: number,
  trace: TraceContext | undefined,
): Promise<ActionOutcome> {
  if (!request.url) return { ok: false, error: "webhook has no url" };
  const body = JSON.stringify({ action: request.name, callId: request.callId, args: request.args });
  const headers: Record<string, string> = { "content-type": "application/json", "idempotency-key": request.callId, ...traceHeaders(childTrace(trace)) };
  if (env.WEBHOOK_SECRET) {
    headers["x-parley-signature"] = `sha256=${await hmacHex(await importHmacKey(env.WEBHOOK_SECRET), body)}`;
  }
  const response = await fetch(request.url, {
    method: "POST",
    headers,
    body,
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!response.ok) return { ok: false, error: `webhook answered ${response.status}` };
  return { ok: true, result: (await response.json()) as Json };
}
