import { z } from "zod";

/**
 * The payment provider's HTTP API, as zod schemas: what the adapter sends and checks, and what
 * the fake provider accepts and answers. Never trust the provider's JSON: every answer is parsed.
 *
 *   POST /v1/payouts                  idempotency-key: <key>, signed body → 200 PayoutAnswer
 *   GET  /v1/payouts/{idempotencyKey} signed, empty body                → 200 PayoutAnswer | 404
 *   errors                            → { error: { code, message? }, id? }
 */
export const IDEMPOTENCY_KEY_HEADER = "idempotency-key";
export const PAYOUTS_PATH = "/v1/payouts";

/** Letters, digits and `_ : . -`: safe in a header and in a URL path. */
export const idempotencyKeySchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9_:.-]+$/);

export const payoutBodySchema = z.strictObject({
  amount: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  currency: z.string().regex(/^[A-Z]{3}$/),
  account: z.string().min(1).max(200),
  reference: z.string().min(1).max(200),
  callbackUrl: z.url().optional(),
});
export type PayoutBody = z.infer<typeof payoutBodySchema>;

export const payoutAnswerSchema = z.object({
  id: z.string().min(1),
  status: z.enum(["paid", "pending", "rejected"]),
  reason: z.string().min(1).optional(),
});
export type PayoutAnswer = z.infer<typeof payoutAnswerSchema>;

export const errorAnswerSchema = z.object({
  error: z.object({ code: z.string().min(1), message: z.string().optional() }),
  id: z.string().min(1).optional(),
});
export type ErrorAnswer = z.infer<typeof errorAnswerSchema>;

/**
 * Error codes that are about the request, not the payment: the provider did not look at the
 * money. Any other code on a 4xx is a business rejection ("invalid_account", "limit_exceeded").
 */
export const PROTOCOL_ERROR_CODES: ReadonlySet<string> = new Set([
  "invalid_request",
  "bad_signature",
  "stale",
  "idempotency_conflict",
  "not_found",
  "rate_limited",
  "unavailable",
]);
