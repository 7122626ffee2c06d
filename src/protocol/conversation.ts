import { z } from "zod";

export const conversationViewSchema = z.object({
  userId: z.string(),
  seq: z.number().int(),
  slots: z.record(z.string(), z.union([z.string(), z.number()])).describe("sensitive slots redacted, e.g. ***1234"),
  activeFlow: z.string().nullable(),
  botVersion: z.string().nullable(),
  cohort: z.enum(["stable", "canary"]),
});
export type ConversationView = z.infer<typeof conversationViewSchema>;

/** `agent`: a human agent's message after a handoff; `system`: a line about the conversation ("Anna joined"). */
export const messageRoleSchema = z.enum(["user", "bot", "agent", "system"]);

/** Who wrote an agent's message, or whom a system line is about: an id and a display name. */
export const authorSchema = z.object({ id: z.string(), name: z.string() });

export const historyMessageSchema = z.object({
  seq: z.number().int(),
  role: messageRoleSchema,
  text: z.string(),
  quickReplies: z.array(z.string()).optional(),
  at: z.number().int().describe("epoch milliseconds"),
  clientMessageId: z.string().optional().describe("on a user message: the id it was sent with"),
  botVersion: z.string().optional().describe("on a bot message: the bot version that answered"),
  author: authorSchema.optional().describe("on an agent's message or a system line about an agent: who"),
});
export type HistoryMessage = z.infer<typeof historyMessageSchema>;

export const HISTORY_LIMIT_MAX = 200;

export const historyQuerySchema = z.strictObject({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(HISTORY_LIMIT_MAX).default(50),
});
export type HistoryQuery = z.infer<typeof historyQuerySchema>;

export const historyPageSchema = z.object({
  messages: z.array(historyMessageSchema),
  next: z.number().int().nullable().describe("pass as `after` for the next page; null at the end"),
});
export type HistoryPage = z.infer<typeof historyPageSchema>;

export const healthSchema = z.object({ ok: z.literal(true), version: z.string() });
