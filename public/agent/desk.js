// @ts-check
// The conversations this agent holds, across queues: which is shown, their histories, what
// arrives in them, transfer and end. What the agent sends in them goes through sender.js.
import { AgentApiError } from "./api.js";
import { ConversationView } from "./conversation-view.js";
import { el, setText } from "./dom.js";
import { Sender } from "./sender.js";

/**
 * @typedef {import("./api.js").AgentApi} AgentApi
 * @typedef {import("./api.js").HeldEntry} HeldEntry
 * @typedef {import("./api.js").VisibleMessage} VisibleMessage
 * @typedef {import("./api.js").Note} Note
 * @typedef {import("./api.js").CannedReply} CannedReply
 * @typedef {import("./session-store.js").SessionStore} SessionStore
 * @typedef {{ view: ConversationView, bot: string, queue: string, claimedAt: number, tab: HTMLButtonElement, badge: HTMLElement,
 *   unread: number, lastTyping: number }} Held
 * @typedef {{ api: AgentApi, store: SessionStore, selfId: () => string, announce: (text: string) => void,
 *   send: (bot: string, queue: string, frame: Record<string, unknown>) => boolean, queuesOf: (bot: string) => string[],
 *   signedOut: (message: string) => void, nav: HTMLElement, panels: HTMLElement, empty: HTMLElement, heading: HTMLElement }} DeskParts
 */

/** An agent's typing frame goes out at most this often (the widget's indicator lasts 8 s). */
const TYPING_EVERY_MS = 3_000;

/** @type {Record<string, string>} */
const RELEASED = {
  resolved: "was ended",
  transferred: "was transferred",
  user_cancelled: "ended: the customer went back to the bot",
  erased: "ended: the customer erased the conversation",
  ticket: "ended: the customer left a message for later instead",
};

export class Desk {
  /** @param {DeskParts} parts */
  constructor(parts) {
    this.parts = parts;
    /** @type {Map<string, Held>} */
    this.held = new Map();
    /** @type {Map<string, Promise<CannedReply[]>>} */
    this.canned = new Map();
    this.sender = new Sender({
      api: parts.api,
      store: parts.store,
      selfId: parts.selfId,
      viewOf: (entryId) => this.held.get(entryId)?.view,
      refused: (entryId, error) => this.refused(entryId, error, ""),
    });
    /** The conversation shown before a reload: shown again when it comes back. */
    this.wanted = parts.store.selected;
  }

  /**
   * What the server says this agent holds in one queue (a `held` frame, or the queue's view).
   * @param {string} bot @param {string} queue @param {HeldEntry[]} entries
   */
  sync(bot, queue, entries) {
    const ids = new Set(entries.map((entry) => entry.entryId));
    for (const [entryId, held] of this.held) {
      if (held.bot === bot && held.queue === queue && !ids.has(entryId)) this.remove(entryId, `${held.view.title} is no longer yours.`);
    }
    for (const entry of entries) {
      const known = this.held.get(entry.entryId);
      if (known) known.view.setEntry(entry);
      else this.add(bot, queue, entry, false);
    }
    for (const item of this.parts.store.outbox) {
      if (item.bot === bot && item.queue === queue && !ids.has(item.entryId)) this.parts.store.forget(item.entryId);
    }
  }

  /**
   * A conversation becomes this agent's (a claim, or found on load).
   * @param {string} bot @param {string} queue @param {HeldEntry} entry @param {boolean} select
   */
  add(bot, queue, entry, select) {
    if (this.held.has(entry.entryId)) return select && this.select(entry.entryId, true);
    const { store } = this.parts;
    const entryId = entry.entryId;
    const view = new ConversationView(
      { bot, queue, entry, selfId: this.parts.selfId(), drafts: { reply: store.draft(entryId, "reply"), note: store.draft(entryId, "note") } },
      {
        sendReply: (text) => this.sender.send(entryId, "reply", text),
        addNote: (text) => this.sender.send(entryId, "note", text),
        typing: () => this.typing(entryId),
        draftChanged: (box, text) => store.setDraft(entryId, box, text),
        transfer: (toQueue) => void this.transfer(entryId, toQueue),
        end: () => void this.end(entryId),
      },
    );
    view.element.hidden = true;
    view.setTransferTargets(this.parts.queuesOf(bot));
    const badge = el("span", { class: "badge" });
    const tab = el("button", { type: "button", "data-testid": "held-tab" }, [view.title, badge]);
    tab.addEventListener("click", () => this.select(entryId, true));
    this.held.set(entryId, { view, bot, queue, claimedAt: entry.claimedAt, tab, badge, unread: 0, lastTyping: 0 });
    this.parts.nav.append(el("li", { "data-entry-id": entryId }, [tab]));
    this.parts.panels.append(view.element);
    this.parts.empty.hidden = true;
    void this.cannedOf(bot).then((replies) => view.setCanned(replies));
    for (const item of store.outbox.filter((known) => known.entryId === entryId)) this.sender.show(view, item);
    const shown = [...this.held.values()].some((held) => !held.view.element.hidden);
    if (select || entryId === this.wanted || !shown) this.select(entryId, select);
    void this.loadHistory(entryId);
    void this.sender.flush(entryId);
  }

  /**
   * @param {string} entryId
   * @param {boolean} focus move the keyboard focus to it (an agent's own choice or claim)
   */
  select(entryId, focus) {
    const chosen = this.held.get(entryId);
    if (!chosen) return;
    this.parts.store.selected = entryId;
    for (const [id, held] of this.held) {
      held.view.element.hidden = id !== entryId;
      held.tab.setAttribute("aria-current", String(id === entryId));
    }
    chosen.unread = 0;
    setText(chosen.badge, "");
    chosen.view.scrollDown();
    if (focus) chosen.view.heading.focus();
  }

  /**
   * @param {string} entryId
   * @param {string} announcement said to the agent (role=status)
   */
  remove(entryId, announcement) {
    const held = this.held.get(entryId);
    if (!held) return;
    const focused = held.view.element.contains(document.activeElement) || held.tab === document.activeElement;
    this.sender.stop(entryId);
    held.view.element.remove();
    held.tab.closest("li")?.remove();
    this.held.delete(entryId);
    const dropped = this.parts.store.forget(entryId).filter((item) => item.kind === "reply").length;
    this.parts.announce(dropped > 0 ? `${announcement} ${dropped} unsent ${dropped === 1 ? "reply was" : "replies were"} not delivered.` : announcement);
    const next = [...this.held.keys()][0];
    if (next && this.parts.store.selected === null) this.select(next, false);
    this.parts.empty.hidden = this.held.size > 0;
    if (focused) this.parts.heading.focus();
  }

  /** @param {string} entryId @param {VisibleMessage} message a customer's message, live */
  userMessage(entryId, message) {
    const held = this.held.get(entryId);
    if (!held?.view.addMessage(message)) return;
    if (!held.view.element.hidden) return;
    held.unread += 1;
    setText(held.badge, String(held.unread));
    this.parts.announce(`New message from the customer in ${held.view.title}.`);
  }

  /** @param {string} entryId @param {Note} note */
  noted(entryId, note) {
    this.held.get(entryId)?.view.addNote(note);
  }

  /** @param {string} entryId @param {string} reason */
  released(entryId, reason) {
    const held = this.held.get(entryId);
    if (held) this.remove(entryId, `${held.view.title} ${RELEASED[reason] ?? "is no longer yours"}.`);
  }

  /**
   * A queue's socket is back: what was missed is read again, and what waits is sent.
   * @param {string} bot @param {string} queue
   */
  reconnected(bot, queue) {
    for (const [entryId, held] of this.held) {
      if (held.bot !== bot || held.queue !== queue) continue;
      void this.loadHistory(entryId);
      void this.sender.flush(entryId);
    }
  }

  /** The network is back: everything waiting is offered again. */
  retryAll() {
    for (const entryId of this.held.keys()) void this.sender.flush(entryId);
  }

  /** @param {string} entryId */
  async loadHistory(entryId) {
    const held = this.held.get(entryId);
    if (!held) return;
    try {
      const history = await this.parts.api.history(held.bot, held.queue, entryId);
      for (const message of history.messages) held.view.addMessage(message);
      for (const note of history.notes) held.view.addNote(note);
    } catch (error) {
      this.refused(entryId, error, "The history could not be loaded");
    }
    held.view.goLive();
  }

  /** @param {string} entryId */
  typing(entryId) {
    const held = this.held.get(entryId);
    const now = Date.now();
    if (!held || now - held.lastTyping < TYPING_EVERY_MS) return;
    if (this.parts.send(held.bot, held.queue, { type: "typing", entryId })) held.lastTyping = now;
  }

  /** @param {string} entryId @param {string} toQueue */
  async transfer(entryId, toQueue) {
    const held = this.held.get(entryId);
    if (!held) return;
    held.view.setBusy(true);
    try {
      await this.parts.api.transfer(held.bot, held.queue, entryId, toQueue);
      this.remove(entryId, `${held.view.title} was transferred to ${toQueue}.`);
    } catch (error) {
      held.view.setBusy(false);
      this.refused(entryId, error, "Not transferred");
    }
  }

  /** @param {string} entryId */
  async end(entryId) {
    const held = this.held.get(entryId);
    if (!held) return;
    held.view.setBusy(true);
    try {
      await this.parts.api.end(held.bot, held.queue, entryId);
      this.remove(entryId, `${held.view.title} was ended and handed back to the bot.`);
    } catch (error) {
      held.view.setBusy(false);
      this.refused(entryId, error, "Not ended");
    }
  }

  /**
   * What a refusal means for the conversation: signed out, no longer ours, or just say it.
   * @param {string} entryId
   * @param {unknown} error
   * @param {string} what "" says nothing more in the panel
   */
  refused(entryId, error, what) {
    const held = this.held.get(entryId);
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof AgentApiError && error.status === 401) return this.parts.signedOut(message);
    if (error instanceof AgentApiError && (error.status === 403 || error.status === 404) && held) {
      return this.remove(entryId, `${held.view.title} is no longer yours (${message}).`);
    }
    if (what && held) held.view.status(`${what}: ${message}${error instanceof AgentApiError && error.retryable ? " — try again." : ""}`);
  }

  /** @param {string} bot */
  cannedOf(bot) {
    let replies = this.canned.get(bot);
    if (!replies) {
      replies = this.parts.api.canned(bot).then(
        (answer) => answer.cannedReplies,
        () => {
          this.canned.delete(bot);
          return [];
        },
      );
      this.canned.set(bot, replies);
    }
    return replies;
  }

  /** Signed out: every conversation leaves the page (drafts and unsent items stay in this tab's storage). */
  clear() {
    for (const [entryId, held] of this.held) {
      this.sender.stop(entryId);
      held.view.element.remove();
      held.tab.closest("li")?.remove();
    }
    this.held.clear();
    this.parts.empty.hidden = false;
  }

  /** @param {string} bot @param {string} queue */
  holds(bot, queue) {
    return [...this.held.values()].some((held) => held.bot === bot && held.queue === queue);
  }

  /** @param {string} bot the bot's queues changed on the page: the transfer boxes offer them */
  queuesChanged(bot) {
    for (const held of this.held.values()) if (held.bot === bot) held.view.setTransferTargets(this.parts.queuesOf(bot));
  }
}
