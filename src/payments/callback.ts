import { z } from "zod";
import type { SignatureCheck } from "./signing.js";
import { DEFAULT_TOLERANCE_SECONDS, verifySignature } from "./signing.js";
import { idempotencyKeySchema } from "./wire.js";

/** The provider's asynchronous final word on a payment, POSTed signed to the request's callbackUrl. */
export const paymentCallbackSchema = z.object({
  /** One per event: a duplicate delivery repeats it. */
  eventId: z.string().min(1).max(200),
  idempotencyKey: idempotencyKeySchema,
  reference: z.string().min(1).max(200),
  status: z.enum(["paid", "rejected"]),
  providerRef: z.string().min(1).max(200),
  reason: z.string().min(1).max(200).optional(),
  amount: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  currency: z.string().regex(/^[A-Z]{3}$/),
});
export type PaymentCallback = z.infer<typeof paymentCallbackSchema>;

export type CallbackParse =
  | { ok: true; callback: PaymentCallback }
  | { ok: false; code: Extract<SignatureCheck, { ok: false }>["code"] | "invalid_body"; message: string };

/**
 * A callback's signature, freshness and body, checked in that order: nothing of an unsigned
 * body is parsed. `rawBody` must be the exact bytes received (as text), not re-serialized JSON.
 *
 * Not replay-safe by itself: a signed callback can be delivered again within the tolerance (and
 * the provider does deliver duplicates). The caller dedupes by `eventId` in its own storage, and
 * acts idempotently on `idempotencyKey` (settling a paid payout twice changes nothing).
 *
 * @example
 * const parsed = await parseCallback(env.PAYMENTS_SECRET, request.headers, await request.text(), Date.now() / 1000);
 * if (!parsed.ok) return c.json({ error: { code: parsed.code, message: parsed.message } }, parsed.code === "invalid_body" ? 400 : 401);
 */
export async function parseCallback(secret: string, headers: Headers, rawBody: string, nowSeconds: number): Promise<CallbackParse> {
  const check = await verifySignature(secret, headers, rawBody, nowSeconds, DEFAULT_TOLERANCE_SECONDS);
  if (!check.ok) return check;
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    return { ok: false, code: "invalid_body", message: "the body is not JSON" };
  }
  const callback = paymentCallbackSchema.safeParse(json);
  if (!callback.success) return { ok: false, code: "invalid_body", message: z.prettifyError(callback.error) };
  return { ok: true, callback: callback.data };
}
