import { z } from "zod";
import { handoffSchema } from "./handoff-schema.js";
import { llmSchema } from "./llm-schema.js";
import { localizedTextSchema, name } from "./schema-basics.js";
import { speechSchema } from "./speech-schema.js";

export { handoffSchema, llmSchema, localizedTextSchema };

/**
 * The bot definition: data, not code. zod is the single source of truth — the
 * TypeScript types below are inferred from it, and cross-references (a flow's
 * slot, an intent's flow, a branch's target) are checked in {@link checkReferences}
 * so a definition that parses is one the engine can run.
 */

const enumValueSchema = z
  .object({
    value: z.string().min(1),
    /** what users type for it; the label is matched too */
    synonyms: z.array(z.string().min(1)).default([]),
    /** how the bot names it (quick replies, `{{slot}}` in templates) */
    label: localizedTextSchema.optional(),
  })
  .strict();

export const entitySchema = z.discriminatedUnion("type", [
  z
    .object({
      type: z.literal("number"),
      min: z.number().optional(),
      max: z.number().optional(),
      /** words that mark a number as this entity ("码", "size"): preferred when a sentence holds several numbers */
      units: z.array(z.string().min(1)).default([]),
      /** values must be multiples of it: 0.5 takes half sizes ("42.5", "forty-two and a half", "39码半"); default whole numbers */
      step: z.number().positive().optional(),
    })
    .strict(),
  z.object({ type: z.literal("enum"), values: z.array(enumValueSchema).min(1) }).strict(),
  z
    .object({
      type: z.literal("regex"),
      pattern: z.string().min(1),
      flags: z
        .string()
        .regex(/^[imsu]*$/, "only the flags i, m, s, u are allowed")
        .default(""),
      /** normalises the matched text, e.g. order ids typed in lower case */
      transform: z.enum(["upper", "lower"]).optional(),
    })
    .strict(),
  /** a mainland China mobile number in the ways people write it: sensitive wherever it appears */
  z.object({ type: z.literal("phone") }).strict(),
  /** a postal address with a street and a house number, Chinese or English: sensitive wherever it appears */
  z.object({ type: z.literal("address") }).strict(),
]);

/** A duration in seconds, or a shorthand like "30d", "12h", "15m", or "forever". */
export const durationSchema = z.union([
  z.number().int().nonnegative(),
  z.string().regex(/^(\d+[smhd]|forever)$/, 'a duration like "30d", "12h", "90m", "45s" or "forever"'),
]);

export const slotSchema = z
  .object({
    /** the entity that fills it; without one, an `ask` takes the user's whole answer as free text */
    entity: name.optional(),
    prompt: localizedTextSchema.optional(),
    reprompts: z.array(localizedTextSchema).default([]),
    sensitive: z.boolean().default(false),
    /** how long the value survives across sessions (measured from when it was set) */
    carryOver: durationSchema.optional(),
    validate: z
      .object({
        min: z.number().optional(),
        max: z.number().optional(),
        minLength: z.number().int().nonnegative().optional(),
        maxLength: z.number().int().positive().optional(),
        pattern: z.string().optional(),
      })
      .strict()
      .optional(),
    /** phrases that refer back to this slot's last value ("that one", "那款", "same size") */
    references: z.array(z.string().min(1)).default([]),
    /** words that introduce this slot's value in a sentence ("电话", "phone"): another slot's free-text value stops where they begin */
    cues: z.array(z.string().min(1)).default([]),
    /** with an entity: when asked, an answer without the entity's match is taken as free text all the same */
    freeText: z.boolean().default(false),
  })
  .strict();

const slotValueSchema = z.union([z.string(), z.number()]);

export const conditionSchema = z.discriminatedUnion("op", [
  z.object({ slot: name, op: z.enum(["exists", "missing"]) }).strict(),
  z.object({ slot: name, op: z.enum(["equals", "not_equals"]), value: slotValueSchema }).strict(),
  z.object({ slot: name, op: z.literal("in"), values: z.array(slotValueSchema).min(1) }).strict(),
  z.object({ slot: name, op: z.enum(["gt", "gte", "lt", "lte"]), value: z.number() }).strict(),
]);

const stepId = { id: name.optional() };

const jsonArgSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const stepSchema = z.discriminatedUnion("type", [
  z.object({ ...stepId, type: z.literal("say"), text: localizedTextSchema, quickReplies: z.array(localizedTextSchema).optional() }).strict(),
  z
    .object({
      ...stepId,
      type: z.literal("ask"),
      slot: name,
      prompt: localizedTextSchema.optional(),
      reprompts: z.array(localizedTextSchema).optional(),
      /** reprompts before giving up (default: the number of reprompts, at least 1) */
      maxReprompts: z.number().int().nonnegative().optional(),
      onFailure: z.enum(["fallback", "handoff"]).default("fallback"),
      /** only a value given during this run of the flow counts (a reference like "that one" brings an old one back) */
      fresh: z.boolean().default(false),
      /** always ask, even when the slot holds a value (confirmations) */
      always: z.boolean().default(false),
      /** never ask: a value given during this run of the flow (or carried by a follow-up) is kept, an older one cleared ("black running shoes") */
      optional: z.boolean().default(false),
      /** the message that started the flow answers this question ("I want to enter the lottery" is the yes): with `phrases`, only when it holds one */
      startAnswer: z
        .object({ value: slotValueSchema, phrases: z.array(z.string().min(1)).default([]) })
        .strict()
        .optional(),
    })
    .strict(),
  z.object({ ...stepId, type: z.literal("set"), slot: name, value: z.union([slotValueSchema, z.null()]) }).strict(),
  z
    .object({
      ...stepId,
      type: z.literal("branch"),
      cases: z.array(z.object({ when: z.array(conditionSchema).min(1), goto: name }).strict()).min(1),
      else: name.optional(),
    })
    .strict(),
  z
    .object({
      ...stepId,
      type: z.literal("call"),
      action: z.string().min(1),
      /** argument values; a string that is exactly "{{slot}}" passes the slot's raw value */
      args: z.record(z.string(), jsonArgSchema).default({}),
      /** slot ← key of the action's result object */
      assign: z.record(name, z.string().min(1)).default({}),
      onError: localizedTextSchema.optional(),
    })
    .strict(),
  z
    .object({
      ...stepId,
      type: z.literal("handoff"),
      text: localizedTextSchema.optional(),
      reason: z.string().default("requested"),
      /** the agents' queue the conversation waits in (`handoff.queues` of the bot) */
      queue: name.default("general"),
    })
    .strict(),
  z.object({ ...stepId, type: z.literal("end"), text: localizedTextSchema.optional() }).strict(),
]);

export const flowSchema = z
  .object({
    steps: z.array(stepSchema).min(1),
    /** said when the flow continues after a digression, before its pending question */
    resumeText: localizedTextSchema.optional(),
    /** once completed, a short message with a new value for one of its slots ("what about 40?") runs it again, within these turns and/or seconds */
    followUp: z
      .object({
        turns: z.number().int().positive().optional(),
        seconds: z.number().int().positive().optional(),
        /** phrases that mark a follow-up when the message also reads as the flow's own intent ("what about", "呢") */
        cues: z.array(z.string().min(1)).optional(),
      })
      .strict()
      .refine((f) => f.turns !== undefined || f.seconds !== undefined, "needs turns or seconds")
      .optional(),
  })
  .strict();

export const actionDefSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("builtin") }).strict(),
  z.object({ kind: z.literal("webhook"), url: z.url({ protocol: /^https?$/ }) }).strict(),
]);

/** A question the bot answers outright, found by retrieval over its phrasings and keywords. */
export const knowledgeEntrySchema = z
  .object({
    id: name,
    /** how shoppers ask it, in any of the bot's languages */
    questions: z.array(z.string().min(1)).min(1),
    /** words that alone point at this entry ("socks", "营业时间") */
    keywords: z.array(z.string().min(1)).default([]),
    answer: localizedTextSchema,
    quickReplies: z.array(localizedTextSchema).optional(),
  })
  .strict();

/** Chit-chat ("how are you", "你是机器人吗") answered in the bot's voice; the current flow goes on. */
export const smallTalkEntrySchema = z.object({ id: name, examples: z.array(z.string().min(1)).min(1), answer: localizedTextSchema }).strict();

export const botDefinitionSchema = z
  .object({
    id: z.string().min(1).max(64),
    version: z.string().min(1).max(64),
    defaultLanguage: z.enum(["en", "zh"]).default("en"),
    nlu: z
      .object({
        threshold: z.number().min(0).max(1).default(0.5),
        /** correct typos of the bot's own words ("runing" → running) before matching; bounded, see docs/bots.md */
        typoTolerance: z.boolean().default(true),
      })
      .strict()
      .default({ threshold: 0.5, typoTolerance: true }),
    session: z
      .object({ idleSeconds: z.number().int().positive().default(1800) })
      .strict()
      .default({ idleSeconds: 1800 }),
    speech: speechSchema.optional(),
    intents: z.record(name, z.object({ examples: z.array(z.string().min(1)).min(1), flow: name.optional() }).strict()),
    entities: z.record(name, entitySchema).default({}),
    slots: z.record(name, slotSchema).default({}),
    flows: z.record(name, flowSchema),
    /** actions a `call` step may name: built-ins (registered in code) and webhooks */
    actions: z.record(z.string().min(1), actionDefSchema).default({}),
    /** an entry answers when its score (0–1) reaches `threshold` and beats the recognized intent's confidence */
    knowledge: z
      .object({ threshold: z.number().min(0).max(1).default(0.5), entries: z.array(knowledgeEntrySchema).default([]) })
      .strict()
      .default({ threshold: 0.5, entries: [] }),
    smallTalk: z
      .object({ threshold: z.number().min(0).max(1).default(0.6), entries: z.array(smallTalkEntrySchema).default([]) })
      .strict()
      .default({ threshold: 0.6, entries: [] }),
    handoff: handoffSchema.default({ maxWaitSeconds: 300, queues: ["general"], cannedReplies: [], satisfaction: false, messages: {} }),
    fallback: z.object({ text: localizedTextSchema, quickReplies: z.array(localizedTextSchema).optional() }).strict(),
    messages: z
      .object({
        actionFailed: localizedTextSchema.optional(),
        handoff: localizedTextSchema.optional(),
        /** told when a cash prize is paid: `{{amount}}` ("¥5.00"), `{{prize}}` (the prize id) */
        payoutPaid: localizedTextSchema.optional(),
        /** told when a cash prize could not be paid and the reservation went back: also `{{reason}}` */
        payoutFailed: localizedTextSchema.optional(),
      })
      .strict()
      .default({}),
    /** the optional LLM layer: without it, no model is ever asked (llm-schema.ts) */
    llm: llmSchema.optional(),
  })
  .strict();

export type BotDefinition = z.infer<typeof botDefinitionSchema>;
export type HandoffDef = z.infer<typeof handoffSchema>;
export type LocalizedText = z.infer<typeof localizedTextSchema>;
export type EntityDef = z.infer<typeof entitySchema>;
export type SlotDef = z.infer<typeof slotSchema>;
export type Condition = z.infer<typeof conditionSchema>;
export type FlowStep = z.infer<typeof stepSchema>;
export type FlowDef = z.infer<typeof flowSchema>;
export type Duration = z.infer<typeof durationSchema>;
export type KnowledgeEntry = z.infer<typeof knowledgeEntrySchema>;
export type SmallTalkEntry = z.infer<typeof smallTalkEntrySchema>;
