import { z } from "zod";

/** An identifier: names of intents, entities, slots, flows, step ids, queues. */
export const name = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an identifier ([A-Za-z_][A-Za-z0-9_]*)");

/** A reply text: one string, or a variant per language (the engine answers in the user's language). */
export const localizedTextSchema = z.union([
  z.string().min(1),
  z
    .object({ en: z.string().min(1).optional(), zh: z.string().min(1).optional() })
    .strict()
    .refine((t) => t.en !== undefined || t.zh !== undefined, "needs at least one of en, zh"),
]);
