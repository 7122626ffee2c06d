import { z } from "zod";

/** Every error code of the public contract (API.md → Errors), with its HTTP status. */
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
 * An error meant for the client: the gateway turns it into API.md's error shape.
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
