import { z } from "zod";
import type { LlmCommand } from "../dialog/index.js";
import { botDefinitionSchema } from "../dialog/index.js";
import { rolloutSchema, versionNameSchema } from "../rollout/rollout.js";
import { userTextSchema } from "./messages.js";

/** A bot's id as it appears in admin paths; a definition's `id` must equal it to be published. */
export const botIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._-]+$/, "only A-Z, a-z, 0-9, '.', '_' and '-'");

export const botParamsSchema = z.strictObject({ bot: botIdSchema });
export const versionParamsSchema = z.strictObject({ bot: botIdSchema, version: versionNameSchema });

/** The same alphabet as a token's `sub` (src/security/jwt.ts): an admin reads any user's conversation. */
export const userParamsSchema = z.strictObject({
  userId: z.string().regex(/^[A-Za-z0-9._:@|-]{1,128}$/, "not a user id"),
});

/** Definitions are large (intents with many examples): publishing takes up to 256 KB of JSON. */
export const PUBLISH_BODY_LIMIT = 256 * 1024;

/** `PUT /v1/admin/bots/:bot/versions/:version`: the bot definition itself (see src/dialog/schema.ts). */
export const publishBodySchema = botDefinitionSchema.describe("a bot definition; its `id` and `version` must equal the path's `:bot` and `:version`");

export const outcomeCountsSchema = z.object({
  turns: z.number().int(),
  fallbacks: z.number().int().describe("turns in which the bot fell back"),
  handoffs: z.number().int().describe("turns that asked for a human"),
  errors: z.number().int().describe("turns in which an action failed or a flow ended in error"),
});

export const publishedVersionSchema = z.object({
  bot: z.string(),
  version: z.string(),
  publishedAt: z.number().int().describe("epoch milliseconds"),
  publishedBy: z.string().describe("the publisher token's sub ('bundle' for bots shipped in the Worker)"),
});
export type PublishedVersion = z.infer<typeof publishedVersionSchema>;

export const publishAnswerSchema = publishedVersionSchema.extend({
  created: z.boolean().describe("false when this very definition was already published (a retried publish)"),
  rollout: rolloutSchema.nullable().describe("the bot's rollout: a bot's first version becomes its stable"),
});

export const versionSummarySchema = publishedVersionSchema.extend({ counters: outcomeCountsSchema });
export type VersionSummary = z.infer<typeof versionSummarySchema>;

/** One change of a bot's rollout: who (a token's sub, or "guard"), when, from what to what. */
export const auditEntrySchema = z.object({
  at: z.number().int().describe("epoch milliseconds"),
  by: z.string(),
  action: z.enum(["initial", "set", "rollback"]),
  from: rolloutSchema.nullable(),
  to: rolloutSchema,
  reason: z.string().optional().describe("why the guard rolled back"),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const AUDIT_ENTRIES_SHOWN = 50;

export const botOverviewSchema = z.object({
  bot: z.string(),
  versions: z.array(versionSummarySchema).describe("oldest first"),
  rollout: rolloutSchema.nullable(),
  audit: z.array(auditEntrySchema).describe(`the last ${AUDIT_ENTRIES_SHOWN} rollout changes, newest first`),
});
export type BotOverview = z.infer<typeof botOverviewSchema>;

export const rolloutBodySchema = rolloutSchema;
export const rolloutAnswerSchema = z.object({ rollout: rolloutSchema });

export const parseBodySchema = z.strictObject({
  text: userTextSchema,
  version: versionNameSchema.optional().describe("default: the stable version"),
  llm: z
    .boolean()
    .optional()
    .describe("ask the version's model for commands too (default: when its llm section has `understand` and the model's connection is configured)"),
});
export type ParseBody = z.infer<typeof parseBodySchema>;

const asideMatchSchema = z.object({
  entry: z.string().describe("the entry's id"),
  score: z.number().min(0).max(1),
  accepted: z.boolean().describe("the score clears the bot's threshold: the engine answers with it when no intent is more confident"),
});

const slotScalarSchema = z.union([z.string(), z.number()]);

/** A command validation kept (src/dialog/llm/commands.ts LlmCommand), as the engine would apply it. */
export const llmCommandSchema = z.discriminatedUnion("command", [
  z.object({ command: z.literal("start_flow"), flow: z.string() }),
  z.object({ command: z.literal("set_slot"), slot: z.string(), value: slotScalarSchema }),
  z.object({ command: z.literal("correct_slot"), slot: z.string(), value: slotScalarSchema }),
  z.object({ command: z.literal("cancel_flow") }),
  z.object({ command: z.literal("clarify"), flows: z.array(z.string()) }),
  z.object({ command: z.literal("knowledge_answer") }),
  z.object({ command: z.literal("chitchat") }),
  z.object({ command: z.literal("human_handoff") }),
]) satisfies z.ZodType<LlmCommand>;

/** What the version's model proposed for the text, from a new conversation's state, and what validation kept. */
export const parseLlmSchema = z.object({
  outcome: z.string().describe("ok, or why the call failed: timeout, http, network, malformed, cut, circuit_open, busy, …"),
  error: z.string().optional().describe("what went wrong: the call's failure, or why its output could not be read as commands"),
  proposed: z.array(z.unknown()).describe("the commands as the model wrote them"),
  accepted: z.array(llmCommandSchema).describe("those a turn would apply, values parsed as if typed"),
  dropped: z.array(z.object({ command: z.unknown(), reason: z.string() })).describe("the others, each with why validation refused it"),
});
export type ParseLlm = z.infer<typeof parseLlmSchema>;

export const parseAnswerSchema = z.object({
  intent: z.string().nullable().describe("null when under the bot's threshold: the engine would fall back"),
  confidence: z.number(),
  entities: z.record(z.string(), z.union([z.string(), z.number()])),
  alternatives: z.array(z.object({ intent: z.string(), confidence: z.number() })),
  knowledge: asideMatchSchema.nullable().describe("the nearest knowledge-base entry; null when no entry shares a word with the text"),
  smallTalk: asideMatchSchema.nullable().describe("the nearest small-talk entry; null when none shares a word with the text"),
  corrections: z
    .array(z.object({ from: z.string(), to: z.string() }))
    .describe('words read as typos of the bot\'s own words ("runing" → "running"); intents, entities and knowledge see the corrected text'),
  botVersion: z.string().describe("the version that parsed the text"),
  llm: parseLlmSchema
    .optional()
    .describe("what the model proposed; absent when the version has no llm section, its connection is not configured, or `llm` was false"),
});
