import { z } from "zod";

/** Every error code of the public contract (docs/api.md → Errors), with its HTTP status. */
export const ERROR_STATUS = {
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
export type ErrorStatus = (typeof ERROR_STATUS)[ErrorCode];

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string().describe("snake_case error code"),
      message: z.string().describe("for humans"),
      requestId: z.string(),
    }),
  })
  .describe("Every error answer has this shape");

export type ErrorBody = z.infer<typeof errorBodySchema>;

/**
 * An error meant for the client: the gateway turns it into the error shape of docs/api.md.
 *
 * @example
 * throw new ApiError("not_found", "no such voice job");
 */
export class ApiError extends Error {
  override readonly name = "ApiError";
  readonly status: ErrorStatus;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.status = ERROR_STATUS[code];
  }
}

/**
 * An actor's refusal of an RPC call (rate limit…), returned rather than thrown: the runtime logs
 * an exception leaving a Durable Object as that object's failure (a red "Uncaught Error" with a
 * stack in `wrangler dev`), and a refusal is an answer, not a fault. The caller turns it into the
 * {@link ApiError} with {@link apiErrorOf}.
 *
 * @example
 * if (!allowed) return refusal("rate_limited", "too many messages; try again in 2 s", { "retry-after": "2" });
 */
export interface Refusal {
  readonly refused: { readonly code: ErrorCode; readonly message: string; readonly headers: Record<string, string> };
}

export function refusal(code: ErrorCode, message: string, headers: Record<string, string> = {}): Refusal {
  return { refused: { code, message, headers } };
}

export function isRefusal(value: unknown): value is Refusal {
  return typeof value === "object" && value !== null && "refused" in value;
}

export function apiErrorOf({ refused }: Refusal): ApiError {
  return new ApiError(refused.code, refused.message, refused.headers);
}
