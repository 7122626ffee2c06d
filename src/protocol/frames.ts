import { z } from "zod";
import { authorSchema, messageRoleSchema } from "./conversation.js";
import { clientMessageIdSchema, userTextSchema } from "./messages.js";
import { MAX_CLIENT_FRAME_BYTES } from "./ws.js";

export { MAX_CLIENT_FRAME_BYTES, PING_FRAME, PONG_FRAME, WS_BEARER_PREFIX, WS_CLOSE, WS_SUBPROTOCOL, isTerminalCloseCode } from "./ws.js";

// ── client → server ─────────────────────────────────────────────────────────

export const helloFrameSchema = z.strictObject({
  type: z.literal("hello"),
  since: z.number().int().min(0).describe("replay every message with a seq above this, then go live"),
});

export const sayFrameSchema = z.strictObject({
  type: z.literal("say"),
  text: userTextSchema,
  clientMessageId: clientMessageIdSchema,
});

export const pingFrameSchema = z.strictObject({ type: z.literal("ping") });

export const clientFrameSchema = z.discriminatedUnion("type", [helloFrameSchema, sayFrameSchema, pingFrameSchema]);

export type HelloFrame = z.infer<typeof helloFrameSchema>;
export type SayFrame = z.infer<typeof sayFrameSchema>;
export type PingFrame = z.infer<typeof pingFrameSchema>;
export type ClientFrame = z.infer<typeof clientFrameSchema>;

// ── server → client ─────────────────────────────────────────────────────────

export const messageFrameSchema = z.object({
  type: z.literal("message"),
  seq: z.number().int(),
  role: messageRoleSchema,
  text: z.string(),
  quickReplies: z.array(z.string()).optional(),
  at: z.number().int().describe("epoch milliseconds"),
  clientMessageId: clientMessageIdSchema.optional().describe("on a user message: the id it was sent with"),
  botVersion: z.string().optional().describe("on a bot message: the bot version that answered"),
  author: authorSchema.optional().describe("on an agent's message or a system line about an agent: who"),
});

export const deltaFrameSchema = z.object({
  type: z.literal("delta"),
  replyTo: z.number().int().describe("seq of the user's message this reply answers"),
  clientMessageId: clientMessageIdSchema.optional().describe("the id that user message was sent with"),
  offset: z.number().int().min(0).describe("where `text` starts in the reply so far: a client keeps the first `offset` characters and appends `text`"),
  text: z.string(),
});

export const typingFrameSchema = z.object({
  type: z.literal("typing"),
  author: authorSchema.optional().describe("a human agent typing; without it, the bot is working on a reply"),
});

export const voiceFrameSchema = z.object({
  type: z.literal("voice"),
  jobId: z.string(),
  status: z.enum(["queued", "transcribing", "replying", "synthesizing", "done", "failed"]),
  transcript: z.string().optional(),
  reply: z.string().optional(),
  audioUrl: z.string().optional(),
  error: z.string().optional(),
});

export const errorFrameSchema = z.object({
  type: z.literal("error"),
  code: z.string().describe("snake_case, as in REST errors"),
  message: z.string(),
  clientMessageId: clientMessageIdSchema.optional().describe("the `say` this error answers, if any"),
});

export const pongFrameSchema = z.object({ type: z.literal("pong") });

export const serverFrameSchema = z.discriminatedUnion("type", [
  messageFrameSchema,
  deltaFrameSchema,
  typingFrameSchema,
  voiceFrameSchema,
  errorFrameSchema,
  pongFrameSchema,
]);

export type MessageFrame = z.infer<typeof messageFrameSchema>;
export type DeltaFrame = z.infer<typeof deltaFrameSchema>;
export type TypingFrame = z.infer<typeof typingFrameSchema>;
export type VoiceFrame = z.infer<typeof voiceFrameSchema>;
export type ErrorFrame = z.infer<typeof errorFrameSchema>;
export type PongFrame = z.infer<typeof pongFrameSchema>;
export type ServerFrame = z.infer<typeof serverFrameSchema>;

export type ParsedClientFrame = { ok: true; frame: ClientFrame } | { ok: false; error: ErrorFrame };

/**
 * Reads one client frame. Never throws: whatever is wrong comes back as the `error` frame
 * to send, and the socket stays usable.
 */
export function parseClientFrame(raw: string | ArrayBuffer): ParsedClientFrame {
  const read = readFrame(raw, clientFrameSchema);
  return read.ok ? read : invalid(read.message, sayIdOf(read.json));
}

/** A frame read: the schema's value, or what is wrong with it (and the JSON, when it was JSON). */
export type ReadFrame<T> = { ok: true; frame: T } | { ok: false; message: string; json?: unknown };

/** Reads one client frame of any channel against its schema: JSON text, at most MAX_CLIENT_FRAME_BYTES. Never throws. */
export function readFrame<T>(raw: string | ArrayBuffer, schema: z.ZodType<T>): ReadFrame<T> {
  if (typeof raw !== "string") return { ok: false, message: "frames are JSON text, not binary" };
  if (raw.length > MAX_CLIENT_FRAME_BYTES) return { ok: false, message: `frame is longer than ${MAX_CLIENT_FRAME_BYTES} bytes` };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, message: "frame is not valid JSON" };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, frame: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, message: `${issue?.path.join(".") || "frame"}: ${issue?.message ?? "invalid frame"}`, json };
}

function invalid(message: string, clientMessageId?: string): { ok: false; error: ErrorFrame } {
  return { ok: false, error: { type: "error", code: "invalid_request", message, ...(clientMessageId ? { clientMessageId } : {}) } };
}

/** A rejected `say` still names its id, so the client can tell which message failed. */
function sayIdOf(json: unknown): string | undefined {
  if (typeof json !== "object" || json === null) return undefined;
  const id = (json as Record<string, unknown>)["clientMessageId"];
  return clientMessageIdSchema.safeParse(id).success ? (id as string) : undefined;
}
