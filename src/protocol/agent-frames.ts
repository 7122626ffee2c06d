import { z } from "zod";
import {
  agentNoteSchema,
  agentTextSchema,
  agentVisibleMessageSchema,
  entryIdSchema,
  heldEntrySchema,
  lineEntrySchema,
  queueNameSchema,
  queueStatsSchema,
} from "./agent.js";
import { authorSchema } from "./conversation.js";
import { readFrame } from "./frames.js";
import { clientMessageIdSchema } from "./messages.js";

/**
 * The agents' WebSocket (`GET /v1/agent/ws?bot=…&queue=…`, subprotocol parley.v1): frames of
 * one queue. On connect the server sends `line` and `held`; after that, changes.
 */

// ── agent → server ──────────────────────────────────────────────────────────

export const presenceFrameSchema = z.strictObject({ type: z.literal("presence"), status: z.enum(["online", "away"]) });
export const claimFrameSchema = z.strictObject({ type: z.literal("claim"), entryId: entryIdSchema });
export const replyFrameSchema = z.strictObject({ type: z.literal("reply"), entryId: entryIdSchema, messageId: clientMessageIdSchema, text: agentTextSchema });
export const agentTypingFrameSchema = z.strictObject({ type: z.literal("typing"), entryId: entryIdSchema });
export const noteFrameSchema = z.strictObject({ type: z.literal("note"), entryId: entryIdSchema, noteId: clientMessageIdSchema, text: agentTextSchema });
export const transferFrameSchema = z.strictObject({ type: z.literal("transfer"), entryId: entryIdSchema, toQueue: queueNameSchema });
export const endFrameSchema = z.strictObject({ type: z.literal("end"), entryId: entryIdSchema });
export const agentPingFrameSchema = z.strictObject({ type: z.literal("ping") });

export const agentClientFrameSchema = z.discriminatedUnion("type", [
  presenceFrameSchema,
  claimFrameSchema,
  replyFrameSchema,
  agentTypingFrameSchema,
  noteFrameSchema,
  transferFrameSchema,
  endFrameSchema,
  agentPingFrameSchema,
]);
export type AgentClientFrame = z.infer<typeof agentClientFrameSchema>;

// ── server → agent ──────────────────────────────────────────────────────────

/** The whole waiting line, oldest wait first, with the queue's figures. */
export const lineFrameSchema = z.object({ type: z.literal("line"), entries: z.array(lineEntrySchema), stats: queueStatsSchema });
/** One entry of the line changed (`entry`), or left it (`entry: null`: claimed, cancelled, transferred). */
export const entryFrameSchema = z.object({ type: z.literal("entry"), entryId: entryIdSchema, entry: lineEntrySchema.nullable() });
/** Every conversation this agent holds in this queue (sent on connect and whenever that set or its notes change). */
export const heldFrameSchema = z.object({ type: z.literal("held"), entries: z.array(heldEntrySchema) });
/** A user message of a conversation this agent holds. */
export const agentMessageFrameSchema = z.object({ type: z.literal("message"), entryId: entryIdSchema, message: agentVisibleMessageSchema });
export const claimedFrameSchema = z.object({ type: z.literal("claimed"), entryId: entryIdSchema, agent: authorSchema });
export const releasedFrameSchema = z.object({
  type: z.literal("released"),
  entryId: entryIdSchema,
  reason: z.enum(["resolved", "transferred", "user_cancelled", "erased", "ticket"]),
});
/** A `reply` was sent (or had been: `duplicate`). */
export const sentFrameSchema = z.object({
  type: z.literal("sent"),
  entryId: entryIdSchema,
  messageId: clientMessageIdSchema,
  seq: z.number().int(),
  duplicate: z.boolean(),
});
export const notedFrameSchema = z.object({ type: z.literal("noted"), entryId: entryIdSchema, note: agentNoteSchema });
export const agentErrorFrameSchema = z.object({
  type: z.literal("error"),
  code: z.string().describe("snake_case, as in REST errors (conflict: someone else claimed it)"),
  message: z.string(),
  entryId: entryIdSchema.optional(),
  messageId: clientMessageIdSchema.optional(),
});
export const agentPongFrameSchema = z.object({ type: z.literal("pong") });

export const agentServerFrameSchema = z.discriminatedUnion("type", [
  lineFrameSchema,
  entryFrameSchema,
  heldFrameSchema,
  agentMessageFrameSchema,
  claimedFrameSchema,
  releasedFrameSchema,
  sentFrameSchema,
  notedFrameSchema,
  agentErrorFrameSchema,
  agentPongFrameSchema,
]);
export type AgentServerFrame = z.infer<typeof agentServerFrameSchema>;
export type AgentErrorFrame = z.infer<typeof agentErrorFrameSchema>;
export type ReleaseReason = z.infer<typeof releasedFrameSchema>["reason"];

export type ParsedAgentFrame = { ok: true; frame: AgentClientFrame } | { ok: false; error: AgentErrorFrame };

/** Reads one agent frame. Never throws: what is wrong comes back as the `error` frame to send. */
export function parseAgentFrame(raw: string | ArrayBuffer): ParsedAgentFrame {
  const read = readFrame(raw, agentClientFrameSchema);
  return read.ok ? read : { ok: false, error: { type: "error", code: "invalid_request", message: read.message } };
}
