// @ts-check
// The "Human handoff" panel of the operations page: each queue's figures now (GET /v1/admin/handoff).
// Built with createElement and textContent only: bot and queue names come from bot definitions.
import { HANDOFF_COLUMNS, handoffRowFigures, handoffSummary } from "./handoff-format.js";

/** @typedef {import("./handoff-format.js").HandoffAnswer} HandoffAnswer */
/** @typedef {import("./handoff-format.js").QueueFigures} QueueFigures */
/** @typedef {import("./campaigns.js").PanelPorts} PanelPorts */

/**
 * @param {HTMLElement} root the panel's section: holds `tbody` and `[role=status]`
 * @param {PanelPorts} ports
 */
export function handoffPanel(root, ports) {
  const body = /** @type {HTMLTableSectionElement} */ (root.querySelector("tbody"));
  const status = /** @type {HTMLElement} */ (root.querySelector("[role='status']"));
  /** the last summary said, so a refresh that changes nothing says nothing again */
  let said = "";

  /** @param {string} text */
  const announce = (text) => {
    if (text !== said) status.textContent = said = text;
  };

  async function refresh() {
    try {
      const response = await ports.request("/v1/admin/handoff");
      const answer = /** @type {HandoffAnswer & { error?: { message?: string } }} */ (await response.json().catch(() => ({})));
      if (response.status === 401 || response.status === 403) return ports.signedOut(answer.error?.message ?? "the token was refused");
      if (!response.ok) throw new Error(answer.error?.message ?? `the server answered ${response.status}`);
      body.replaceChildren(...answer.queues.map(rowOf));
      if (answer.queues.length === 0) body.replaceChildren(emptyRow("No handoff queues yet: a bot's queues appear after its first turn."));
      announce(handoffSummary(answer));
    } catch (error) {
      announce(`Handoff figures could not be loaded: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  return { refresh };
}

/** @param {QueueFigures} row */
function rowOf({ bot, queue, stats }) {
  const tr = document.createElement("tr");
  tr.dataset["queue"] = `${bot}:${queue}`;
  const name = cell(tr, "th", queue);
  name.scope = "row";
  const botName = name.appendChild(document.createElement("span"));
  botName.className = "campaign-id";
  botName.textContent = bot;
  const figures = handoffRowFigures(stats);
  for (const column of HANDOFF_COLUMNS) cell(tr, "td", figures[column]).dataset["column"] = column;
  if (stats.waiting > 0 && stats.agentsOnline === 0) tr.classList.add("unstaffed");
  return tr;
}

/**
 * @param {HTMLTableRowElement} row
 * @param {"td" | "th"} tag
 * @param {string} text
 */
function cell(row, tag, text) {
  const element = row.appendChild(document.createElement(tag));
  element.textContent = text;
  return element;
}

/** @param {string} text */
function emptyRow(text) {
  const row = document.createElement("tr");
  cell(row, "td", text).colSpan = HANDOFF_COLUMNS.length + 1;
  return row;
}
