import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Env } from "hono";
import { errorBodySchema } from "../../src/protocol/errors.js";
import { PARLEY_VERSION } from "../version.js";

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

/** Where the document is served. */
export const OPENAPI_PATH = "/openapi.json";

type DocumentConfig = Parameters<OpenAPIHono["getOpenAPI31Document"]>[0];

/** The document's header. The prose reference lives in the repository's docs/api.md and docs/bots.md. */
export const OPENAPI_CONFIG = {
  openapi: "3.1.0",
  info: {
    title: "Parley",
    version: PARLEY_VERSION,
    description:
      "Edge chatbot platform: the public HTTP contract. The prose reference, with WebSocket frames and close codes, " +
      "is docs/api.md in the Parley repository; the bot-definition format is docs/bots.md.",
  },
} satisfies DocumentConfig;

/**
 * Serves the app's OpenAPI 3.1 document at {@link OPENAPI_PATH}. `app.doc31()` would generate it
 * again from the zod schemas on every request; routes cannot change once the isolate has
 * built the app, so it is generated (and serialised) on the first request and kept for the
 * isolate's lifetime. Call it after every route is registered. A generation error is not
 * kept: it reaches the app's error handler, and the next request tries again.
 *
 * @example
 * serveOpenApiDocument(app); // after app.route(...) for every route
 */
export function serveOpenApiDocument<E extends Env>(app: OpenAPIHono<E>): void {
  let json: string | undefined;
  app.get(OPENAPI_PATH, (c) => {
    json ??= JSON.stringify(app.getOpenAPI31Document(OPENAPI_CONFIG));
    // The header `c.json()` sets: the answer is byte for byte what `doc31` served.
    return c.body(json, 200, { "content-type": "application/json" });
  });
}
