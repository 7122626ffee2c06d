import { z } from "zod";
import { localizedTextSchema, name } from "./schema-basics.js";

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time like "09:00"');
const weekday = z.enum(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]);

/** Human agents behind the bot: their queues, when they work, what they may paste, what the bot says meanwhile. */
export const handoffSchema = z
  .object({
    /** queues a `handoff` step may name (one HandoffQueue each); the first is the default */
    queues: z.array(name).min(1).default(["general"]),
    /** past this wait in line, the bot offers to leave a message or keep waiting */
    maxWaitSeconds: z.number().int().positive().default(300),
    /** when agents work; outside these hours (and when none is online) the bot offers to leave a message */
    officeHours: z
      .object({ timeZone: z.string().min(1), open: z.array(z.object({ days: z.array(weekday).min(1), from: clockTime, to: clockTime }).strict()).min(1) })
      .strict()
      .optional(),
    /** replies an agent picks from a list */
    cannedReplies: z.array(z.object({ id: name, text: localizedTextSchema }).strict()).default([]),
    /** after an agent hands back: ask one 1–5 satisfaction question */
    satisfaction: z.boolean().default(false),
    /** the bot's words around a handoff; each has a default */
    messages: z
      .object({
        queued: localizedTextSchema.optional(),
        noAgents: localizedTextSchema.optional(),
        waitExpired: localizedTextSchema.optional(),
        ticketTaken: localizedTextSchema.optional(),
        cancelled: localizedTextSchema.optional(),
        resumed: localizedTextSchema.optional(),
        ratingAsk: localizedTextSchema.optional(),
        ratingThanks: localizedTextSchema.optional(),
      })
      .strict()
      .default({}),
  })
  .strict();
