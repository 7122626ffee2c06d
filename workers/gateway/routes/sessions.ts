import { OpenAPIHono, createRoute } from "@hono/zod-openapi";
import { ApiError, errorBodySchema } from "../../../src/protocol/errors.js";
import { GUEST_PREFIX, GUEST_TOKEN_TTL_S, anonymousSessionSchema } from "../../../src/protocol/sessions.js";
import { signToken } from "../../../src/security/jwt.js";
import type { GatewayEnv } from "../context.js";
import { authConfig } from "../keys.js";
import { limitByIp } from "../middleware/ip-limit.js";
import { authErrors } from "../openapi.js";

const createAnonymous = createRoute({
  method: "post",
  path: "/v1/sessions/anonymous",
  summary: "A guest identity for the widget (chat and voice scopes), rate-limited per client IP",
  middleware: [limitByIp],
  responses: {
    201: { description: "a guest token", content: { "application/json": { schema: anonymousSessionSchema } } },
    429: { description: "too many guest sessions from this address (`Retry-After`)", content: { "application/json": { schema: errorBodySchema } } },
    503: authErrors[503],
  },
});

export const sessionRoutes = new OpenAPIHono<GatewayEnv>().openapi(createAnonymous, async (c) => {
  const config = authConfig(c.env);
  if (!config?.signingSecret) throw new ApiError("unavailable", "guest identities need JWT_SECRET");
  const userId = `${GUEST_PREFIX}${crypto.randomUUID().replaceAll("-", "")}`;
  const { token, expiresAt } = await signToken({
    userId,
    // Voice too, so the widget's microphone works for guests wherever SPEECH_PROVIDER is set;
    // without a provider the voice routes answer 503 / available: false whatever the scope.
    // Not made conditional on the provider: guest tokens live 30 days, and a guest issued one
    // before voice was configured would not see the microphone until it expired.
    scopes: ["chat", "voice"],
    ttlSeconds: GUEST_TOKEN_TTL_S,
    secret: config.signingSecret,
    ...(c.env.JWT_ISSUER ? { issuer: c.env.JWT_ISSUER } : {}),
    ...(c.env.JWT_AUDIENCE ? { audience: c.env.JWT_AUDIENCE } : {}),
  });
  return c.json({ token, userId, expiresAt }, 201);
});
