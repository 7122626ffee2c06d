// @ts-check
// One watched queue: its live status, its figures and its waiting line (wait times ticking),
// each waiting conversation with a Claim button.
import { definitionList, el, setText, uniqueId } from "./dom.js";
import { formatWait, languageName, reasonText, slotsText, speakerName, waitedNow } from "./format.js";

/**
 * @typedef {import("./api.js").LineEntry} LineEntry
 * @typedef {import("./api.js").QueueStats} QueueStats
 * @typedef {import("./queue-socket.js").SocketStatus} SocketStatus
 * @typedef {{ entry: LineEntry, receivedAt: number, element: HTMLLIElement, wait: HTMLElement, claim: HTMLButtonElement,
 *   body: HTMLElement }} Row
 */

/** How many of the last messages a waiting conversation shows. */
const LAST_SHOWN = 3;

/** @type {Record<SocketStatus, string>} */
const STATUS_TEXT = { connecting: "connecting…", live: "live", reconnecting: "reconnecting…", "signed-out": "not connected" };

export class QueueSection {
  /**
   * @param {{ bot: string, queue: string }} ref
   * @param {{ claim: (entryId: string) => void, remove: () => void }} actions
   */
  constructor(ref, actions) {
    this.ref = ref;
    this.actions = actions;
    /** @type {Map<string, Row>} */
    this.rows = new Map();
    /** @type {QueueStats | null} */
    this.figures = null;
    const headingId = uniqueId("queue");
    this.status = el("span", { class: "live", "data-status": "connecting" }, [STATUS_TEXT.connecting]);
    this.stats = el("span", { class: "meta" });
    this.noticeLine = el("p", { class: "notice", role: "status" });
    this.empty = el("p", { class: "empty" }, ["Nobody is waiting."]);
    this.list = el("ul", { class: "line", "aria-label": `Waiting in ${ref.bot} / ${ref.queue}` });
    const remove = el("button", { type: "button", class: "link" }, ["Stop watching"]);
    remove.setAttribute("aria-label", `Stop watching ${ref.bot} / ${ref.queue}`);
    remove.addEventListener("click", () => actions.remove());
    this.element = el("section", { class: "card queue", "aria-labelledby": headingId, "data-testid": "queue", "data-queue": `${ref.bot}:${ref.queue}` }, [
      el("div", { class: "queue-head" }, [el("h3", { id: headingId, tabindex: "-1" }, [`${ref.bot} / ${ref.queue}`]), this.status, remove]),
      this.stats,
      this.noticeLine,
      this.empty,
      this.list,
    ]);
  }

  /**
   * @param {SocketStatus} status
   * @param {string} detail
   */
  setStatus(status, detail) {
    this.status.dataset["status"] = status;
    setText(this.status, detail ? `${STATUS_TEXT[status]}: ${detail}` : STATUS_TEXT[status]);
  }

  /** @param {string} text announced (role=status) and shown until the next notice */
  notice(text) {
    setText(this.noticeLine, text);
  }

  /** @param {QueueStats} stats the queue's figures (sent with the whole line) */
  setStats(stats) {
    this.figures = stats;
    this.showStats();
  }

  /** The count of waiting conversations is the line's own: it changes between the figures. */
  showStats() {
    const stats = this.figures;
    const waiting = `${this.rows.size} waiting`;
    if (!stats) return setText(this.stats, waiting);
    const waits = stats.waitP50Seconds === null ? "" : ` · wait p50 ${formatWait(stats.waitP50Seconds)}`;
    setText(this.stats, `${waiting} · ${stats.agentsOnline} ${stats.agentsOnline === 1 ? "agent" : "agents"} online · ${stats.handled} handled${waits}`);
  }

  /**
   * The whole line, as the server sent it.
   * @param {LineEntry[]} entries
   * @param {number} now
   */
  setLine(entries, now) {
    const wanted = new Set(entries.map((entry) => entry.entryId));
    for (const entryId of this.rows.keys()) if (!wanted.has(entryId)) this.remove(entryId);
    for (const entry of entries) this.upsert(entry, now);
  }

  /**
   * A new or changed waiting conversation. A row keeps its element (and its Claim button, which
   * may have focus) for life; only what it says changes.
   * @param {LineEntry} entry
   * @param {number} now
   */
  upsert(entry, now) {
    const row = this.rows.get(entry.entryId) ?? this.row(entry.entryId);
    row.entry = entry;
    row.receivedAt = now;
    this.rows.set(entry.entryId, row);
    row.element.className = entry.overdue ? "waiting overdue" : "waiting";
    row.body.replaceChildren(...bodyOf(entry));
    this.place(now);
  }

  /** @param {string} entryId */
  remove(entryId) {
    const row = this.rows.get(entryId);
    if (!row) return;
    const hadFocus = row.element.contains(document.activeElement);
    row.element.remove();
    this.rows.delete(entryId);
    this.place(Date.now());
    // Focus stays in the line instead of falling to the page's top.
    if (hadFocus) (this.list.querySelector("button") ?? this.list.closest("section")?.querySelector("h3"))?.focus();
  }

  /** @param {string} entryId @param {boolean} busy */
  claiming(entryId, busy) {
    const row = this.rows.get(entryId);
    if (!row) return;
    row.claim.disabled = busy;
    setText(row.claim, busy ? "Claiming…" : "Claim");
  }

  /** @param {number} now */
  tick(now) {
    for (const row of this.rows.values()) setText(row.wait, `waiting ${formatWait(waitedNow(row.entry.waitedSeconds, row.receivedAt, now))}`);
  }

  /** @param {string} entryId */
  has(entryId) {
    return this.rows.has(entryId);
  }

  /**
   * Orders the line as the server does (longest wait first) and numbers it.
   * @param {number} now
   */
  place(now) {
    const start = (/** @type {Row} */ row) => row.receivedAt - row.entry.waitedSeconds * 1000;
    const rows = [...this.rows.values()].sort((a, b) => start(a) - start(b) || a.entry.position - b.entry.position);
    rows.forEach((row, index) => {
      const here = this.list.children[index] ?? null;
      if (here !== row.element) this.list.insertBefore(row.element, here);
      const label = row.element.querySelector("[data-place]");
      if (label) setText(label, `#${index + 1} · ${languageName(row.entry.language)}`);
      row.claim.setAttribute("aria-label", `Claim #${index + 1}: ${topicOf(row.entry)}`);
    });
    this.empty.hidden = rows.length > 0;
    this.showStats();
    this.tick(now);
  }

  /**
   * @param {string} entryId
   * @returns {Row}
   */
  row(entryId) {
    const wait = el("span", { class: "wait" });
    const claim = el("button", { type: "button", class: "primary", "data-testid": "claim" }, ["Claim"]);
    claim.addEventListener("click", () => this.actions.claim(entryId));
    const body = el("div");
    const element = el("li", { class: "waiting", "data-testid": "waiting-entry", "data-entry-id": entryId }, [
      el("div", { class: "waiting-head" }, [el("strong", { "data-place": "" }), wait]),
      body,
      el("div", { class: "row" }, [claim]),
    ]);
    return { entry: /** @type {LineEntry} */ ({}), receivedAt: 0, element, wait, claim, body };
  }

  destroy() {
    this.element.remove();
  }
}

/**
 * What a waiting conversation is about: flags, intent, reason, details and its last messages.
 * @param {LineEntry} entry
 * @returns {HTMLElement[]}
 */
function bodyOf(entry) {
  const { summary } = entry;
  const flags = [];
  if (entry.overdue) flags.push(el("p", { class: "error" }, ["Waited past the bot's maximum wait (the customer was told)."]));
  if (entry.transferredFrom) flags.push(el("p", { class: "meta" }, [`Transferred from ${entry.transferredFrom}.`]));
  const last = summary.lastMessages.slice(-LAST_SHOWN);
  const said = (/** @type {import("./api.js").VisibleMessage} */ message) => {
    const who = speakerName(message);
    return el("li", {}, [who ? `${who}: ${message.text}` : message.text]);
  };
  return [
    ...flags,
    definitionList([
      ["Intent", summary.intent ?? "none"],
      ["Reason", reasonText(summary.reason)],
      ["Details", slotsText(summary.slots)],
    ]),
    last.length > 0 ? el("ol", { class: "last", "aria-label": "Last messages" }, last.map(said)) : el("p", { class: "meta" }, ["No messages yet."]),
  ];
}

/** @param {LineEntry} entry what the conversation is about, in a few words */
function topicOf(entry) {
  return `${entry.summary.intent ?? reasonText(entry.summary.reason)}, ${languageName(entry.language)}`;
}
