import { errorBodySchema } from "../../src/protocol/errors.js";

/** The security requirement of every bearer-authenticated route. */
export const bearerSecurity = [{ bearer: [] }];

const jsonError = (description: string) => ({ description, content: { "application/json": { schema: errorBodySchema } } });

/** Error answers every authenticated route can give, in the OpenAPI document. */
export const authErrors = {
  401: jsonError("missing, invalid or expired token (`WWW-Authenticate: Bearer`)"),
  403: jsonError("the token lacks the scope"),
  503: jsonError("no JWT key is configured"),
} as const;

export const bodyErrors = {
  400: jsonError("bad JSON or a schema violation; the message names the field"),
  413: jsonError("body over the limit"),
  415: jsonError("not application/json"),
} as const;

export const queryErrors = { 400: jsonError("a query parameter is invalid; the message names it") } as const;
