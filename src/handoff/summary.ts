import type { AgentVisibleMessage, HandoffSummary } from "./types.js";

/** A summary keeps the last messages only: enough to start well, small enough for a list. */
export const SUMMARY_MESSAGES = 10;

/**
 * The summary with one more message (a user message forwarded while the conversation waits or
 * is held): the last {@link SUMMARY_MESSAGES}, in seq order, a repeated seq counted once.
 */
export function withMessage(summary: HandoffSummary, message: AgentVisibleMessage): HandoffSummary {
  if (summary.lastMessages.some((known) => known.seq === message.seq)) return summary;
  const lastMessages = [...summary.lastMessages, message].sort((a, b) => a.seq - b.seq).slice(-SUMMARY_MESSAGES);
  return { ...summary, lastMessages };
}
