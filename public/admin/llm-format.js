// @ts-check
// What the "Language model" panel shows of the stats' `llm` figures, as text: pure, unit-tested
// in Node (test/unit/metrics/admin-llm.test.ts).
import { formatCount, formatMs, formatPercent } from "./chart-scale.js";

/**
 * One bucket's LLM figures (src/protocol/metrics.ts statsLlmSchema).
 * @typedef {{ requests: { ok: number, failed: number }, tokens: { in: number, out: number },
 *   firstTokenMs: { p50: number | null, p99: number | null }, replies: { generated: number, scripted: number },
 *   commands: { accepted: number, dropped: number } }} LlmFigures
 * The whole window's (statsLlmTotalsSchema): with why calls failed and replies were scripted.
 * @typedef {{ reason: string, count: number }} ReasonCount
 * @typedef {LlmFigures & { failures: ReasonCount[], scriptedReasons: ReasonCount[] }} LlmTotals
 * @typedef {{ figure: string, value: string, detail: string }} FigureRow
 * @typedef {{ what: string, reason: string, count: string }} ReasonRow
 */

/** Said instead of a table of zeros. */
export const LLM_EMPTY = "No language model calls in this window — bots without an llm section answer from their rules";

/** How many reasons of each kind the panel lists. */
export const REASONS_SHOWN = 5;

/**
 * Whether the window saw nothing of the LLM layer: no call, and no reply a model was asked
 * to write (a spent budget scripts replies without a call).
 * @param {LlmFigures} llm
 */
export function llmIsEmpty(llm) {
  return llm.requests.ok + llm.requests.failed + llm.replies.generated + llm.replies.scripted + llm.commands.accepted + llm.commands.dropped === 0;
}

/**
 * `part` of `part + other`, as a percentage: "–" when both are 0.
 * @param {number} part
 * @param {number} other
 */
function shareOf(part, other) {
  return formatPercent(part + other === 0 ? null : part / (part + other));
}

/**
 * The figures table: one row per figure, its value and what it is made of.
 * @param {LlmFigures} llm
 * @returns {FigureRow[]}
 * @example llmFigureRows(totals)[0] // { figure: "Calls", value: "12", detail: "11 ok · 1 failed (8.3%)" }
 */
export function llmFigureRows(llm) {
  const { requests, tokens, firstTokenMs, replies, commands } = llm;
  return [
    {
      figure: "Calls",
      value: formatCount(requests.ok + requests.failed),
      detail: `${formatCount(requests.ok)} ok · ${formatCount(requests.failed)} failed (${shareOf(requests.failed, requests.ok)})`,
    },
    { figure: "Tokens", value: formatCount(tokens.in + tokens.out), detail: `${formatCount(tokens.in)} in · ${formatCount(tokens.out)} out` },
    { figure: "Time to first token", value: `${formatMs(firstTokenMs.p50)} / ${formatMs(firstTokenMs.p99)}`, detail: "p50 / p99" },
    {
      figure: "Replies",
      value: formatCount(replies.generated + replies.scripted),
      detail: `${formatCount(replies.generated)} generated · ${formatCount(replies.scripted)} scripted (${shareOf(replies.generated, replies.scripted)} generated)`,
    },
    {
      figure: "Commands proposed",
      value: formatCount(commands.accepted + commands.dropped),
      detail: `${formatCount(commands.accepted)} accepted · ${formatCount(commands.dropped)} dropped`,
    },
  ];
}

/**
 * The reasons table: the most frequent failures of calls, then of replies, each list cut at
 * REASONS_SHOWN (the rest summed in one "other" row).
 * @param {LlmTotals} llm
 * @returns {ReasonRow[]}
 */
export function llmReasonRows(llm) {
  return [...reasonRows("Failed call", llm.failures), ...reasonRows("Scripted reply", llm.scriptedReasons)];
}

/**
 * @param {string} what
 * @param {ReasonCount[]} counts most frequent first
 * @returns {ReasonRow[]}
 */
function reasonRows(what, counts) {
  const shown = counts.slice(0, REASONS_SHOWN).map(({ reason, count }) => ({ what, reason, count: formatCount(count) }));
  const rest = counts.slice(REASONS_SHOWN).reduce((sum, row) => sum + row.count, 0);
  return rest > 0 ? [...shown, { what, reason: "other", count: formatCount(rest) }] : shown;
}

/**
 * The line above the tables: calls, failures and the generated share, or the empty state.
 * @param {LlmFigures} llm
 */
export function llmSummary(llm) {
  if (llmIsEmpty(llm)) return LLM_EMPTY;
  const calls = llm.requests.ok + llm.requests.failed;
  const parts = [`${formatCount(calls)} ${calls === 1 ? "call" : "calls"}`, `${formatCount(llm.requests.failed)} failed`];
  if (llm.replies.generated + llm.replies.scripted > 0) parts.push(`${shareOf(llm.replies.generated, llm.replies.scripted)} of replies generated`);
  return parts.join(" · ");
}
