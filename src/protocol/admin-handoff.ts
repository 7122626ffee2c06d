import { z } from "zod";
import { botIdSchema } from "./admin.js";
import { queueStatsSchema } from "./agent.js";

/** `GET /v1/admin/handoff?bot=…`: more bots to read besides those the metrics name (repeatable). */
export const adminHandoffQuerySchema = z.object({
  bot: z
    .union([botIdSchema, z.array(botIdSchema).max(20)])
    .optional()
    .describe("a bot whose queues to include even before its first turn (repeat for several)"),
});

export const handoffQueueFiguresSchema = z.object({
  bot: z.string(),
  queue: z.string(),
  stats: queueStatsSchema,
});

export const adminHandoffAnswerSchema = z.object({
  generatedAt: z.number().int().describe("epoch milliseconds"),
  queues: z.array(handoffQueueFiguresSchema).describe("every queue of every bot that committed a turn or saw handoff traffic, by bot then queue"),
  unreachable: z.array(z.object({ bot: z.string(), queue: z.string() })).describe("queues that did not answer: their figures are missing"),
});

export type HandoffQueueFigures = z.infer<typeof handoffQueueFiguresSchema>;
export type AdminHandoffAnswer = z.infer<typeof adminHandoffAnswerSchema>;
