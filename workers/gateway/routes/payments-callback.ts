import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { logEvent } from "../../../platform/log.js";
import { paymentCallbackSecretOf } from "../../../platform/payments.js";
import { payoutInstanceId } from "../../../src/campaign/payout-id.js";
import { PAYMENT_EVENT } from "../../../src/campaign/payout-saga-run.js";
import type { PaymentCallback } from "../../../src/payments/callback.js";
import { parseCallback, paymentCallbackSchema } from "../../../src/payments/callback.js";
import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from "../../../src/payments/signing.js";
import { ApiError, errorBodySchema } from "../../../src/protocol/errors.js";
import type { GatewayEnv } from "../context.js";
import { jsonBody } from "../middleware/json-body.js";

const jsonError = (description: string) => ({ description, content: { "application/json": { schema: errorBodySchema } } });

export const callbackReceivedSchema = z
  .object({ received: z.literal(true) })
  .describe("Taken: handed to the win's payout saga, or dropped because the saga is over or unknown (the saga asks the provider anyway)");

const postCallback = createRoute({
  method: "post",
  path: "/v1/payments/callback",
  summary: "The payment provider's signed final word on a pending payout (not JWT-authenticated: HMAC-signed)",
  description:
    `Signed like every provider message: \`${TIMESTAMP_HEADER}\` (unix seconds) and \`${SIGNATURE_HEADER}: v1=<hex HMAC-SHA256(PAYMENT_SECRET, "<timestamp>.<body>")>\`, ` +
    "at most 5 minutes old. Duplicates and replays change nothing: the saga settles a win once.",
  security: [],
  request: {
    headers: z.object({ [TIMESTAMP_HEADER]: z.string(), [SIGNATURE_HEADER]: z.string() }),
    body: { required: true, content: { "application/json": { schema: paymentCallbackSchema } } },
  },
  responses: {
    200: { description: "received", content: { "application/json": { schema: callbackReceivedSchema } } },
    400: jsonError("a signed body that is not a payment callback"),
    401: jsonError("a missing, wrong or stale signature (`bad_signature` or `stale` in the message)"),
    413: jsonError("body over 16 KB"),
    415: jsonError("not application/json"),
    503: jsonError("no PAYMENT_SECRET is configured"),
  },
});

/** `POST /v1/payments/callback` (docs/campaigns.md → Payment callbacks). */
export const paymentCallbackRoutes = new OpenAPIHono<GatewayEnv>();

// Registered by hand: the signature covers the exact bytes received, so nothing may parse the
// body before it is checked (a validator would, and re-serialized JSON no longer matches).
paymentCallbackRoutes.openAPIRegistry.registerPath(postCallback);
paymentCallbackRoutes.post("/v1/payments/callback", jsonBody(), async (c) => {
  const secret = paymentCallbackSecretOf(c.env);
  if (!secret) throw new ApiError("unavailable", "payment callbacks are not configured: set the secret PAYMENT_SECRET");
  const parsed = await parseCallback(secret, c.req.raw.headers, await c.req.text(), Date.now() / 1000);
  if (!parsed.ok) throw new ApiError(parsed.code === "invalid_body" ? "invalid_request" : "unauthorized", `${parsed.code}: ${parsed.message}`);
  await handToSaga(c.env.PAYOUTS, parsed.callback, c.get("requestId"));
  return c.json({ received: true as const }, 200);
});

/**
 * The callback becomes an event of the win's saga, named by its reference (the draw id). A saga
 * that is over, or unknown, drops it: the answer is still 200, since the provider retrying would
 * change nothing — a waiting saga also asks the provider for the payment's state.
 */
async function handToSaga(payouts: Workflow, callback: PaymentCallback, requestId: string): Promise<void> {
  try {
    const instance = await payouts.get(await payoutInstanceId(callback.reference));
    await instance.sendEvent({ type: PAYMENT_EVENT, payload: callback });
  } catch (error) {
    logEvent("warn", "payment callback not handed to a saga", { requestId, eventId: callback.eventId, status: callback.status, error: String(error) });
  }
}
