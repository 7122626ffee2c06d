import { z } from "zod";

export const anonymousSessionSchema = z.object({
  token: z.string().describe("a bearer JWT with the chat and voice scopes"),
  userId: z.string().describe("the guest's user id (the token's sub)"),
  expiresAt: z.number().int().describe("epoch milliseconds"),
});
export type AnonymousSession = z.infer<typeof anonymousSessionSchema>;

/** Guests keep their identity (and conversation) for 30 days in the widget's localStorage. */
export const GUEST_TOKEN_TTL_S = 30 * 24 * 3600;
export const GUEST_PREFIX = "guest_";
