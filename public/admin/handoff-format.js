// @ts-check
// What the "Human handoff" panel shows of each queue, as text: pure, unit-tested in Node
// (test/unit/metrics/admin-handoff.test.ts).
import { formatAge } from "./chart-scale.js";

/**
 * One queue's figures (src/protocol/agent.ts queueStatsSchema).
 * @typedef {{ waiting: number, waitP50Seconds: number | null, waitP90Seconds: number | null, handled: number,
 *   abandoned: number, tickets: number, agentsOnline: number, satisfaction: number | null, ratings: number }} QueueStats
 * @typedef {{ bot: string, queue: string, stats: QueueStats }} QueueFigures
 * The answer of GET /v1/admin/handoff (src/protocol/admin-handoff.ts).
 * @typedef {{ generatedAt: number, queues: QueueFigures[], unreachable: { bot: string, queue: string }[] }} HandoffAnswer
 */

/** The figure columns, in the table's order. */
export const HANDOFF_COLUMNS = /** @type {const} */ (["waiting", "agents", "wait", "handled", "abandoned", "tickets", "satisfaction"]);

/**
 * A wait as people read it: "12 s", "2 min 5 s"; "–" before the first claim.
 * @param {number | null} seconds
 */
export function formatWait(seconds) {
  return seconds === null ? "–" : formatAge(seconds);
}

/**
 * The mean rating with how many answers it comes from: "4.5 / 5 (12)"; "–" before the first.
 * @param {number | null} mean
 * @param {number} ratings
 */
export function formatSatisfaction(mean, ratings) {
  if (mean === null || ratings === 0) return "–";
  return `${mean.toFixed(1)} / 5 (${ratings})`;
}

/**
 * @param {QueueStats} stats
 * @returns {Record<(typeof HANDOFF_COLUMNS)[number], string>}
 */
export function handoffRowFigures(stats) {
  return {
    waiting: String(stats.waiting),
    agents: String(stats.agentsOnline),
    wait: `${formatWait(stats.waitP50Seconds)} / ${formatWait(stats.waitP90Seconds)}`,
    handled: String(stats.handled),
    abandoned: String(stats.abandoned),
    tickets: String(stats.tickets),
    satisfaction: formatSatisfaction(stats.satisfaction, stats.ratings),
  };
}

/**
 * The line above the table: what needs people now, over every queue.
 * @param {HandoffAnswer} answer
 */
export function handoffSummary(answer) {
  const waiting = answer.queues.reduce((sum, row) => sum + row.stats.waiting, 0);
  const unstaffed = answer.queues.filter((row) => row.stats.waiting > 0 && row.stats.agentsOnline === 0).length;
  const parts = [`${waiting} waiting in ${answer.queues.length} ${answer.queues.length === 1 ? "queue" : "queues"}`];
  if (unstaffed > 0) parts.push(`${unstaffed} with people waiting and no agent online`);
  if (answer.unreachable.length > 0) parts.push(`${answer.unreachable.length} not answering: figures are partial`);
  return parts.join(" · ");
}
