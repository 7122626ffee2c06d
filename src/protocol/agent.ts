import { z } from "zod";
import { botIdSchema } from "./admin.js";
import { authorSchema, messageRoleSchema } from "./conversation.js";
import { clientMessageIdSchema, userTextSchema } from "./messages.js";

/**
 * The agent API of human handoff (issue 21): REST bodies and answers under /v1/agent/…, shared
 * with the /agent page. The WebSocket frames are in agent-frames.ts.
 */

/** A queue's name in a bot definition (`handoff.queues`): an identifier. */
export const queueNameSchema = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, "must be an identifier ([A-Za-z_][A-Za-z0-9_]*)");
/** The opaque id agents know an entry by (never the conversation's or the user's id). */
export const entryIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, "not an entry id");

export const queueParamsSchema = z.strictObject({ bot: botIdSchema, queue: queueNameSchema });
export const entryParamsSchema = z.strictObject({ bot: botIdSchema, queue: queueNameSchema, entryId: entryIdSchema });

/** A message as an agent sees it: sensitive values masked (`***5678`). */
export const agentVisibleMessageSchema = z.object({
  seq: z.number().int(),
  at: z.number().int().describe("epoch milliseconds"),
  role: messageRoleSchema,
  text: z.string(),
  author: authorSchema.optional(),
});

export const handoffSummarySchema = z.object({
  intent: z.string().nullable(),
  reason: z.string().describe('why the bot handed off: "requested", "order_problem", "reprompts_exhausted"…'),
  language: z.enum(["en", "zh"]),
  slots: z.record(z.string(), z.union([z.string(), z.number()])).describe("sensitive slots masked"),
  lastMessages: z.array(agentVisibleMessageSchema).describe("the last messages (at most 10), masked"),
});

/** A conversation waiting in line. */
export const lineEntrySchema = z.object({
  entryId: entryIdSchema,
  position: z.number().int().min(1),
  waitedSeconds: z.number().int().min(0).describe("since the conversation first asked for a human (kept across a transfer)"),
  language: z.enum(["en", "zh"]),
  summary: handoffSummarySchema,
  overdue: z.boolean().describe("waited past the bot's handoff.maxWaitSeconds (the conversation was told)"),
  transferredFrom: queueNameSchema.optional().describe("the queue an agent transferred it from"),
});

/** An internal note: agents only, never shown to the user. */
export const agentNoteSchema = z.object({
  noteId: clientMessageIdSchema,
  at: z.number().int(),
  author: authorSchema,
  text: z.string(),
});

/** A conversation an agent holds. */
export const heldEntrySchema = z.object({
  entryId: entryIdSchema,
  claimedAt: z.number().int().describe("epoch milliseconds"),
  waitedSeconds: z.number().int().min(0).describe("how long it waited before the claim"),
  language: z.enum(["en", "zh"]),
  summary: handoffSummarySchema,
  notes: z.array(agentNoteSchema),
});

export const queueStatsSchema = z.object({
  waiting: z.number().int(),
  waitP50Seconds: z.number().int().nullable().describe("wait before the claim of recent claimed entries"),
  waitP90Seconds: z.number().int().nullable(),
  handled: z.number().int().describe("entries an agent claimed"),
  abandoned: z.number().int().describe("entries cancelled while waiting"),
  tickets: z.number().int(),
  agentsOnline: z.number().int(),
  satisfaction: z.number().nullable().describe("mean 1–5 rating after a hand-back"),
  ratings: z.number().int(),
});

export const queueViewSchema = z.object({
  bot: z.string(),
  queue: z.string(),
  line: z.array(lineEntrySchema),
  held: z.array(heldEntrySchema).describe("what the calling agent holds in this queue"),
  stats: queueStatsSchema,
});

export const claimAnswerSchema = z.object({ entry: heldEntrySchema });

export const agentTextSchema = userTextSchema;

export const replyBodySchema = z.strictObject({
  messageId: clientMessageIdSchema.describe("made by the page: the same id again never sends twice"),
  text: agentTextSchema,
});
export const replyAnswerSchema = z.object({
  entryId: entryIdSchema,
  messageId: clientMessageIdSchema,
  seq: z.number().int().describe("the message's seq in the conversation"),
  duplicate: z.boolean().describe("true: this messageId was sent before; nothing was sent again"),
});

export const noteBodySchema = z.strictObject({
  noteId: clientMessageIdSchema.describe("made by the page: the same id again adds nothing"),
  text: agentTextSchema,
});
export const noteAnswerSchema = z.object({ note: agentNoteSchema });

export const transferBodySchema = z.strictObject({ toQueue: queueNameSchema });
export const transferAnswerSchema = z.object({ entryId: entryIdSchema, toQueue: queueNameSchema });
export const endAnswerSchema = z.object({ entryId: entryIdSchema, resolution: z.literal("resolved") });

export const agentHistorySchema = z.object({
  entryId: entryIdSchema,
  messages: z.array(agentVisibleMessageSchema).describe("the whole conversation, masked"),
  notes: z.array(agentNoteSchema),
});

export const ticketSchema = z.object({
  ticketId: z.string(),
  at: z.number().int(),
  language: z.enum(["en", "zh"]),
  text: z.string().describe("what the user left for the agents"),
  summary: handoffSummarySchema,
});
export const ticketsAnswerSchema = z.object({ tickets: z.array(ticketSchema).describe("newest first") });

export const auditActionSchema = z.enum(["claimed", "replied", "noted", "transferred", "ended"]);
export const auditRowSchema = z.object({
  at: z.number().int(),
  agentId: z.string(),
  entryId: entryIdSchema,
  action: auditActionSchema,
  toQueue: queueNameSchema.optional().describe("on a transfer"),
});
export const auditAnswerSchema = z.object({ audit: z.array(auditRowSchema).describe("newest first; never message text") });

const cannedTextSchema = z.union([z.string(), z.object({ en: z.string().optional(), zh: z.string().optional() })]);
export const cannedAnswerSchema = z.object({
  bot: z.string(),
  version: z.string().describe("the bot's stable version"),
  cannedReplies: z.array(z.object({ id: z.string(), text: cannedTextSchema })),
});

export type AgentNote = z.infer<typeof agentNoteSchema>;
export type LineEntry = z.infer<typeof lineEntrySchema>;
export type HeldEntry = z.infer<typeof heldEntrySchema>;
export type QueueView = z.infer<typeof queueViewSchema>;
export type ReplyBody = z.infer<typeof replyBodySchema>;
export type ReplyAnswer = z.infer<typeof replyAnswerSchema>;
export type NoteBody = z.infer<typeof noteBodySchema>;
export type Ticket = z.infer<typeof ticketSchema>;
export type AuditAction = z.infer<typeof auditActionSchema>;
export type AuditRow = z.infer<typeof auditRowSchema>;
export type AgentHistory = z.infer<typeof agentHistorySchema>;
