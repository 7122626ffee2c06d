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

const REMOTE_PREFIX = "parley-api-error:";

/**
 * Workers RPC carries an exception's message across, not its class or fields. An actor that
 * refuses a call (rate limit, conflict…) throws this; the gateway turns it back into the
 * {@link ApiError} with {@link apiErrorFromRemote}.
 */
export function remoteApiError(code: ErrorCode, message: string, headers: Record<string, string> = {}): Error {
  return new Error(`${REMOTE_PREFIX}${JSON.stringify({ code, message, headers })}`);
}

export function apiErrorFromRemote(error: unknown): ApiError | null {
  if (!(error instanceof Error)) return null;
  const at = error.message.indexOf(REMOTE_PREFIX);
  if (at < 0) return null;
  try {
    const { code, message, headers } = JSON.parse(error.message.slice(at + REMOTE_PREFIX.length)) as {
      code: ErrorCode;
      message: string;
      headers: Record<string, string>;
    };
    return code in ERROR_STATUS ? new ApiError(code, message, headers) : null;
  } catch {
    return null;
  }
}
