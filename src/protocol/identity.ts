import { z } from "zod";

export const linkIdentityBodySchema = z.strictObject({
  anonymousToken: z.string().min(1).max(8192).describe("the guest token from POST /v1/sessions/anonymous"),
});
export type LinkIdentityBody = z.infer<typeof linkIdentityBodySchema>;

export const linkIdentityResultSchema = z.object({
  userId: z.string(),
  merged: z.number().int().describe("events of the guest's conversation now in the caller's"),
});
