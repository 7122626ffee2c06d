import { OpenAPIHono, createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../src/protocol/errors.js";
import { linkIdentityBodySchema, linkIdentityResultSchema } from "../../../src/protocol/identity.js";
import { GUEST_PREFIX } from "../../../src/protocol/sessions.js";
import { conversationOf } from "../actors.js";
import type { GatewayEnv } from "../context.js";
import { validationHook } from "../errors.js";
import { authenticate, authenticateToken, requireScope } from "../middleware/auth.js";
import { jsonBody } from "../middleware/json-body.js";
import { authErrors, bearerSecurity, bodyErrors } from "../openapi.js";

const linkIdentity = createRoute({
  method: "post",
  path: "/v1/identity/link",
  summary: "Merge a guest's conversation into the caller's (once; repeats answer the same)",
  security: bearerSecurity,
  middleware: [jsonBody(), authenticate, requireScope("chat")],
  request: { body: { required: true, content: { "application/json": { schema: linkIdentityBodySchema } } } },
  responses: {
    200: { description: "merged", content: { "application/json": { schema: linkIdentityResultSchema } } },
    ...bodyErrors,
    ...authErrors,
  },
});

/** The guest a body token names: a valid guest token, not the caller's own. */
async function guestOf(env: GatewayEnv["Bindings"], token: string, callerId: string): Promise<string> {
  let guestId: string;
  try {
    guestId = (await authenticateToken(env, token)).userId;
  } catch (error) {
    if (error instanceof ApiError && error.code === "unauthorized") throw new ApiError("invalid_request", `anonymousToken: ${error.message}`);
    throw error;
  }
  if (!guestId.startsWith(GUEST_PREFIX)) throw new ApiError("forbidden", "only guest identities can be linked");
  if (guestId === callerId) throw new ApiError("invalid_request", "anonymousToken: a guest cannot be linked to itself");
  return guestId;
}

export const identityRoutes = new OpenAPIHono<GatewayEnv>({ defaultHook: validationHook }).openapi(linkIdentity, async (c) => {
  const { userId } = c.get("principal");
  const guestId = await guestOf(c.env, c.req.valid("json").anonymousToken, userId);
  const guest = conversationOf(c.env, guestId);
  const handover = await guest.handOver();
  const { merged } = await conversationOf(c.env, userId).absorbGuest(guestId, handover);
  // After the user's side committed: a crash here leaves the guest for the next (idempotent) link to erase.
  await guest.erase();
  return c.json({ userId, merged }, 200);
});
