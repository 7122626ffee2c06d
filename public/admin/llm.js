// @ts-check
// The "Language model" panel of the operations page: the stats' `llm` figures for the selected
// window (GET /v1/admin/stats, read by app.js): calls over time, a figures table, and why calls
// failed or replies went out scripted. Built with createElement and textContent only: reasons
// come from providers and bot output checks.
import { columnChart } from "./charts.js";
import { LLM_EMPTY, llmFigureRows, llmIsEmpty, llmReasonRows, llmSummary } from "./llm-format.js";

/** @typedef {import("./llm-format.js").LlmFigures} LlmFigures */
/** @typedef {import("./llm-format.js").LlmTotals} LlmTotals */

/**
 * @param {HTMLElement} root the panel's section: `[role=status]`, `.llm-empty`, `.llm-body` with
 *   `.chart`, `#llm-figures tbody` and `#llm-reasons tbody`
 */
export function llmPanel(root) {
  const find = (/** @type {string} */ selector) => {
    const element = root.querySelector(selector);
    if (!(element instanceof HTMLElement)) throw new Error(`${selector} is missing from the language model panel`);
    return element;
  };
  const status = find("[role='status']");
  const empty = find(".llm-empty");
  const body = find(".llm-body");
  const chart = find(".chart");
  const figures = find("#llm-figures tbody");
  const reasons = find("#llm-reasons tbody");

  /**
   * @param {{ start: number, llm: LlmFigures }[]} buckets
   * @param {LlmTotals} totals
   * @param {{ ok: string, failed: string }} colors
   */
  function render(buckets, totals, colors) {
    const nothing = llmIsEmpty(totals);
    status.textContent = nothing ? "" : llmSummary(totals);
    empty.textContent = nothing ? LLM_EMPTY : "";
    empty.hidden = !nothing;
    body.hidden = nothing;
    if (nothing) return;
    columnChart(chart, {
      points: buckets.map((bucket) => ({ x: bucket.start, values: { ok: bucket.llm.requests.ok, failed: bucket.llm.requests.failed } })),
      series: [
        { key: "ok", label: "ok", color: colors.ok },
        { key: "failed", label: "failed", color: colors.failed },
      ],
      // Calls are whole: a window of one or two calls gets ticks 0–4, not tenths.
      minMax: 4,
    });
    figures.replaceChildren(...llmFigureRows(totals).map((row) => rowOf(row.figure, [row.value, row.detail])));
    const why = llmReasonRows(totals);
    reasons.replaceChildren(...why.map((row) => rowOf(row.reason, [row.what, row.count])));
    if (why.length === 0) reasons.replaceChildren(emptyRow("No call failed and no reply was scripted."));
  }

  return { render };
}

/**
 * A row: its header cell, then the figure cells.
 * @param {string} header
 * @param {string[]} cells
 */
function rowOf(header, cells) {
  const tr = document.createElement("tr");
  const th = tr.appendChild(document.createElement("th"));
  th.scope = "row";
  th.textContent = header;
  for (const text of cells) tr.appendChild(document.createElement("td")).textContent = text;
  return tr;
}

/** @param {string} text */
function emptyRow(text) {
  const tr = document.createElement("tr");
  const td = tr.appendChild(document.createElement("td"));
  td.colSpan = 3;
  td.className = "llm-none";
  td.textContent = text;
  return tr;
}
