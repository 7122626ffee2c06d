import { z } from "zod";

/**
 * The conversation test set (test/fixtures/conversations/): shoppers' own phrasing, each turn
 * with what a good bot does. Strict objects, so a misspelt key in the data fails loudly
 * instead of silently checking nothing.
 */

/** What a turn is an example of: the failures are reported grouped by it. */
export const turnKinds = [
  "happy",
  "follow-up",
  "correction",
  "typo",
  "number-word",
  "multi-slot",
  "knowledge",
  "smalltalk",
  "out-of-scope",
  "skip-question",
  "format-hint",
] as const;
export type TurnKind = (typeof turnKinds)[number];

const slotValue = z.union([z.string(), z.number(), z.null()]);

export const conversationTurnSchema = z.strictObject({
  /** what the shopper types */
  user: z.string().min(1),
  /** seconds since the previous turn (default 10) */
  after: z.number().int().positive().optional(),
  kind: z.enum(turnKinds).default("happy"),
  /**
   * What handles the turn: a flow's name, `knowledge:<entry id>`, `smalltalk` or `fallback`.
   * `smalltalk` also accepts the bot's own small-talk flows (greet, thanks, goodbye).
   */
  handled: z.string().regex(/^(fallback|smalltalk|knowledge:[a-z0-9_]+|[a-z][a-z0-9_]*)$/),
  /** slot values after the turn (a subset; null = absent) */
  slots: z.record(z.string(), slotValue).optional(),
  /** the active flow after the turn (null = none) */
  flow: z.string().nullable().optional(),
  /** substrings the reply must contain, ignoring case */
  says: z.array(z.string().min(1)).optional(),
  /** a regular expression the reply must match (flags iu) */
  reply: z.string().optional(),
  /** a regular expression the reply must not match (flags iu) */
  replyNot: z.string().optional(),
});
export type ConversationTurn = z.infer<typeof conversationTurnSchema>;

export const conversationSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  lang: z.enum(["en", "zh", "mixed"]),
  /** the issue's table of failures, or another note on why the conversation is here */
  note: z.string().optional(),
  /** also replayed through the Worker (test/worker/dialog/conversations.test.ts) */
  worker: z.boolean().optional(),
  turns: z.array(conversationTurnSchema).min(1),
});
export type Conversation = z.infer<typeof conversationSchema>;

export const conversationFileSchema = z.array(conversationSchema).min(1);

export const splits = ["dev", "held-out"] as const;
export type Split = (typeof splits)[number];
export type Language = Conversation["lang"];

/**
 * Parses one fixture file; throws with the file name and the path of the first problem.
 * @example parseConversationFile("dev/en.json", JSON.parse(text))
 */
export function parseConversationFile(name: string, data: unknown): Conversation[] {
  const parsed = conversationFileSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new Error(`${name}: ${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"}`);
}
