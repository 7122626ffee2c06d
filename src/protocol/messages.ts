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

/** Where a conversation stands with the human agents, on a turn that went to them instead of the bot. */
export const handoffStatusSchema = z.object({
  status: z.enum(["waiting", "held"]).describe("in line for an agent, or held by one"),
  queue: z.string(),
  agent: z.object({ id: z.string(), name: z.string() }).optional().describe("the agent holding the conversation"),
});

export const turnResultSchema = z.object({
  seq: z.number().int().describe("seq of the bot's reply in the conversation (of the user's message when it went to an agent)"),
  reply: replySchema.describe("empty text when the message went to a human agent (see `handoff`)"),
  duplicate: z.boolean(),
  botVersion: z.string(),
  handoff: handoffStatusSchema.optional().describe("present when the message went to a human agent instead of the bot"),
});
export type TurnResult = z.infer<typeof turnResultSchema>;
