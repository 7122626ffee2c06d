// @ts-check
// The "Campaigns" panel of the operations page: every campaign's books, and Pause / Resume.
// Ending a campaign is not here: it cannot be undone, so only the API does it.
// Built with createElement and textContent only: names and labels come from campaign data.
import { rowFigures, statusControl, winsByPrize } from "./campaign-format.js";

/** @typedef {import("./campaign-format.js").CampaignSummary} CampaignSummary */
/** @typedef {import("./campaign-format.js").CampaignAnswer} CampaignAnswer */

/**
 * What the panel needs from the page: a fetch with the admin token, and a way out when the
 * token stops being accepted.
 * @typedef {{ request: (path: string, init?: RequestInit) => Promise<Response>, signedOut: (message: string) => void }} PanelPorts
 */

const FIGURE_COLUMNS = /** @type {const} */ (["status", "draws", "reserved", "paid", "released", "budgetLeft", "latency"]);

/**
 * @param {HTMLElement} root the panel's section: holds `tbody` and `[role=status]`
 * @param {PanelPorts} ports
 */
export function campaignPanel(root, ports) {
  const body = /** @type {HTMLTableSectionElement} */ (root.querySelector("tbody"));
  /** @type {(selector: string) => HTMLElement | null} */
  const find = (selector) => body.querySelector(selector);
  const status = /** @type {HTMLElement} */ (root.querySelector("[role='status']"));
  let busy = false;

  /** @param {string} text */
  const announce = (text) => void (status.textContent = text);

  /**
   * An answer's JSON, or a thrown Error with the API's message; a refused token signs out.
   * @param {Response} response
   * @returns {Promise<unknown>}
   */
  async function jsonOf(response) {
    const body = /** @type {{ error?: { message?: string } }} */ (await response.json().catch(() => ({})));
    if (response.status === 401 || response.status === 403) ports.signedOut(body.error?.message ?? "the token was refused");
    if (!response.ok) throw new Error(body.error?.message ?? `the server answered ${response.status}`);
    return body;
  }

  /** @param {string} id */
  const detailOf = async (id) => /** @type {CampaignAnswer} */ (await jsonOf(await ports.request(`/v1/admin/campaigns/${encodeURIComponent(id)}`)));

  /**
   * Reads every campaign's books and redraws the table; the focus stays on the same campaign's
   * button (or moves to `focusOn`'s: the one just pressed, disabled while its request ran).
   * @param {string} [focusOn] a campaign id
   */
  async function refresh(focusOn) {
    try {
      const list = /** @type {{ campaigns: CampaignSummary[] }} */ (await jsonOf(await ports.request("/v1/admin/campaigns")));
      const details = await Promise.allSettled(list.campaigns.map((campaign) => detailOf(campaign.id)));
      const focused = focusOn ?? (document.activeElement instanceof HTMLElement ? document.activeElement.dataset["campaign"] : undefined);
      body.replaceChildren(...list.campaigns.map((campaign, i) => rowOf(campaign, details[i])));
      if (list.campaigns.length === 0) body.replaceChildren(emptyRow("No campaigns yet. Create one with POST /v1/admin/campaigns."));
      if (focused !== undefined) find(`button[data-campaign="${CSS.escape(focused)}"]`)?.focus();
    } catch (error) {
      announce(`Campaigns could not be loaded: ${messageOf(error)}`);
    }
  }

  /**
   * @param {CampaignSummary} campaign
   * @param {PromiseSettledResult<CampaignAnswer> | undefined} detail
   */
  function rowOf(campaign, detail) {
    const row = document.createElement("tr");
    row.dataset["campaign"] = campaign.id;
    const name = cell(row, "th", campaign.name);
    name.scope = "row";
    const id = name.appendChild(document.createElement("span"));
    id.className = "campaign-id";
    id.textContent = campaign.id;
    if (detail?.status === "fulfilled") {
      const figures = rowFigures(detail.value);
      for (const column of FIGURE_COLUMNS.slice(0, 2)) cell(row, "td", figures[column]).dataset["column"] = column;
      winsCell(row, detail.value);
      for (const column of FIGURE_COLUMNS.slice(2)) cell(row, "td", figures[column]).dataset["column"] = column;
    } else {
      cell(row, "td", campaign.status).dataset["column"] = "status";
      const missing = cell(row, "td", `books not available: ${messageOf(detail?.status === "rejected" ? detail.reason : "no answer")}`);
      missing.colSpan = FIGURE_COLUMNS.length;
      missing.className = "error";
    }
    controlCell(row, campaign);
    return row;
  }

  /**
   * @param {HTMLTableRowElement} row
   * @param {CampaignSummary} campaign
   */
  function controlCell(row, campaign) {
    const td = cell(row, "td", "");
    const control = statusControl(campaign.adminStatus);
    if (!control) return void (td.textContent = "ended");
    const button = td.appendChild(document.createElement("button"));
    button.type = "button";
    button.className = "campaign-action";
    button.disabled = busy;
    button.dataset["campaign"] = campaign.id;
    button.append(control.label);
    // The visible word plus the campaign's name: "Pause Spring lottery" to a screen reader.
    const hidden = button.appendChild(document.createElement("span"));
    hidden.className = "visually-hidden";
    hidden.textContent = ` ${campaign.name}`;
    button.addEventListener("click", () => void act(campaign, control.action));
  }

  /**
   * POST …/pause or …/resume, say what happened, redraw.
   * @param {CampaignSummary} campaign
   * @param {"pause" | "resume"} action
   */
  async function act(campaign, action) {
    if (busy) return;
    busy = true;
    for (const button of body.querySelectorAll("button")) button.disabled = true;
    announce(`${action === "pause" ? "Pausing" : "Resuming"} ${campaign.name}…`);
    try {
      await jsonOf(await ports.request(`/v1/admin/campaigns/${encodeURIComponent(campaign.id)}/${action}`, { method: "POST" }));
      announce(`${campaign.name} ${action === "pause" ? "paused: draws answer that it is closed" : "resumed: draws are open"}.`);
    } catch (error) {
      announce(`${campaign.name} could not be ${action === "pause" ? "paused" : "resumed"}: ${messageOf(error)}`);
    } finally {
      busy = false;
      await refresh(campaign.id);
    }
  }

  return { refresh: () => refresh() };
}

/**
 * @param {HTMLTableRowElement} row
 * @param {CampaignAnswer} answer
 */
function winsCell(row, answer) {
  const td = cell(row, "td", "");
  td.dataset["column"] = "wins";
  const list = td.appendChild(document.createElement("ul"));
  list.className = "wins";
  for (const { label, count } of winsByPrize(answer)) list.appendChild(document.createElement("li")).textContent = `${label}: ${count}`;
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
  const td = cell(row, "td", text);
  td.colSpan = FIGURE_COLUMNS.length + 3;
  return row;
}

/** @param {unknown} error */
function messageOf(error) {
  return error instanceof Error ? error.message : String(error);
}
