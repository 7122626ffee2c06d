import { z } from "zod";
import { localizedTextSchema } from "./schema-basics.js";

/**
 * The optional LLM layer of a bot (Rasa CALM's split): the model only proposes commands when
 * the rules are unsure, and may reword a knowledge answer or the fallback; deterministic flows
 * decide everything else. A bot without this section runs exactly as it would without a model.
 */
export const llmSchema = z
  .object({
    provider: z.enum(["openai-compatible", "workers-ai"]).default("openai-compatible"),
    model: z.string().min(1),
    temperature: z.number().min(0).max(2).default(0.2),
    /** when the rules fall back or reprompt, ask the model for commands (validated like a typed answer) */
    understand: z.boolean().default(true),
    /** which scripted answers the model may reword: knowledge answers (from their grounding), the fallback */
    generate: z
      .object({ knowledge: z.boolean().default(true), fallback: z.boolean().default(true) })
      .strict()
      .default({ knowledge: true, fallback: true }),
    /** the bot's persona and instructions, per language */
    prompts: z.object({ system: localizedTextSchema }).strict(),
    /** how many earlier turns (masked) go with each request */
    recentTurns: z.number().int().nonnegative().default(6),
    maxReplyChars: z.number().int().positive().default(600),
    /** a generated reply holding one of these (any case, half- or full-width) is replaced by the scripted one */
    bannedPhrases: z.array(z.string().min(1)).default([]),
    /** hosts a generated link may point to (their subdomains too); any other link gets the scripted answer */
    allowedHosts: z.array(z.string().min(1)).default([]),
    limits: z
      .object({
        tokensPerUserPerDay: z.number().int().positive().default(20000),
        concurrentPerBot: z.number().int().positive().default(20),
        firstTokenMs: z.number().int().positive().default(3000),
        totalMs: z.number().int().positive().default(15000),
      })
      .strict()
      .default({ tokensPerUserPerDay: 20000, concurrentPerBot: 20, firstTokenMs: 3000, totalMs: 15000 }),
    /** told when the user's daily budget is spent (the scripted answers go on) */
    budgetExceeded: localizedTextSchema.default({
      en: "I can only give short scripted answers for the rest of today.",
      zh: "今天剩下的时间里，我只能给出预设的简短回答。",
    }),
  })
  .strict();

export type LlmSettings = z.infer<typeof llmSchema>;
