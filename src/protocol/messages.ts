import { z } from "zod";

export const TEXT_MAX = 2000;

export const clientMessageIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, "only A-Z, a-z, 0-9, _ and -")
  .describe("idempotency key: a repeated id returns the first answer");

/** Text a user sends: not blank, at most 2000 characters. */
export const userTextSchema = z
  .string()
  .max(TEXT_MAX)
  .refine((text) => text.trim().length > 0, "must not be empty");

export const postMessageBodySchema = z.strictObject({
  text: userTextSchema,
  clientMessageId: clientMessageIdSchema.optional(),
});
export type PostMessageBody = z.infer<typeof postMessageBodySchema>;

export const replySchema = z.object({
  text: z.string(),
  quickReplies: z.array(z.string()).optional(),
});

export const turnResultSchema = z.object({
  seq: z.number().int().describe("seq of the bot's reply in the conversation"),
  reply: replySchema,
  duplicate: z.boolean(),
  botVersion: z.string(),
});
export type TurnResult = z.infer<typeof turnResultSchema>;
