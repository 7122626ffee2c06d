// @ts-check
// Replies and notes on their way. Each is written to session storage, with an id made once when
// the agent presses Send, before it goes out, and leaves storage only when the server has it:
// a reload or a dropped connection sends it again under the same id, and the server runs each
// id once, so nothing typed is lost and nothing is sent twice.
import { AgentApiError } from "./api.js";
import { newMessageId } from "./format.js";

/**
 * @typedef {import("./api.js").AgentApi} AgentApi
 * @typedef {import("./conversation-view.js").ConversationView} ConversationView
 * @typedef {import("./session-store.js").SessionStore} SessionStore
 * @typedef {import("./session-store.js").OutboxItem} OutboxItem
 * @typedef {{ api: AgentApi, store: SessionStore, selfId: () => string, viewOf: (entryId: string) => ConversationView | undefined,
 *   refused: (entryId: string, error: unknown) => void }} SenderParts
 */

/** An item that found no server is offered again this much later (and whenever its socket is back). */
const RETRY_MS = 5_000;

export class Sender {
  /** @param {SenderParts} parts */
  constructor(parts) {
    this.parts = parts;
    /** @type {Set<string>} conversations whose items are being sent now */
    this.flushing = new Set();
    /** @type {Map<string, ReturnType<typeof setTimeout>>} */
    this.retries = new Map();
  }

  /**
   * The agent pressed Send (a reply) or Add note.
   * @param {string} entryId
   * @param {"reply" | "note"} kind
   * @param {string} text
   */
  send(entryId, kind, text) {
    const view = this.parts.viewOf(entryId);
    if (!view) return;
    /** @type {OutboxItem} */
    const item = { kind, id: newMessageId(), bot: view.bot, queue: view.queue, entryId, text, at: Date.now() };
    this.parts.store.addToOutbox(item);
    this.parts.store.setDraft(entryId, kind, "");
    if (kind === "reply") view.clearReply();
    this.show(view, item);
    void this.flush(entryId);
  }

  /**
   * Shows an item not yet confirmed (also one found in storage after a reload).
   * @param {ConversationView} view
   * @param {OutboxItem} item
   * @param {string} [state] a note's state
   */
  show(view, item, state = "saving…") {
    if (item.kind === "reply") view.showPending(item, "sending");
    else view.addNote({ noteId: item.id, at: item.at, author: { id: this.parts.selfId(), name: "" }, text: item.text }, state);
  }

  /**
   * Sends what waits for one conversation, in order, one at a time; stops at the first that
   * finds no server (it is tried again later under the same id).
   * @param {string} entryId
   */
  async flush(entryId) {
    if (this.flushing.has(entryId)) return;
    this.flushing.add(entryId);
    try {
      const tried = new Set();
      for (;;) {
        const item = this.parts.store.outbox.find((candidate) => candidate.entryId === entryId && !tried.has(candidate.id));
        if (!item || !this.parts.viewOf(entryId)) break;
        tried.add(item.id);
        if (!(await this.deliver(item))) break;
      }
    } finally {
      this.flushing.delete(entryId);
    }
  }

  /** @param {string} entryId the conversation left the page: no more retries for it */
  stop(entryId) {
    clearTimeout(this.retries.get(entryId));
    this.retries.delete(entryId);
  }

  /**
   * @param {OutboxItem} item
   * @returns {Promise<boolean>} false: no server now, try later
   */
  async deliver(item) {
    const view = this.parts.viewOf(item.entryId);
    if (!view) return false;
    const { api, store } = this.parts;
    try {
      if (item.kind === "reply") {
        view.showPending(item, "sending");
        const answer = await api.reply(item.bot, item.queue, item.entryId, { messageId: item.id, text: item.text });
        store.removeFromOutbox(item.id);
        view.confirmed(item, answer.seq);
      } else {
        const answer = await api.note(item.bot, item.queue, item.entryId, { noteId: item.id, text: item.text });
        store.removeFromOutbox(item.id);
        view.addNote(answer.note);
      }
      return true;
    } catch (error) {
      if (error instanceof AgentApiError && error.retryable) {
        if (item.kind === "reply") view.showPending(item, "waiting");
        else this.show(view, item, "not saved yet");
        this.stop(item.entryId);
        this.retries.set(
          item.entryId,
          setTimeout(() => void this.flush(item.entryId), RETRY_MS),
        );
        return false;
      }
      store.removeFromOutbox(item.id);
      this.failed(view, item, error instanceof Error ? error.message : String(error));
      this.parts.refused(item.entryId, error);
      return true;
    }
  }

  /**
   * Refused for good: the reply goes back into the box, the note is said to be lost.
   * @param {ConversationView} view
   * @param {OutboxItem} item
   * @param {string} message
   */
  failed(view, item, message) {
    if (item.kind === "reply") {
      view.showPending(item, "failed", message);
      view.restoreReply(item.text);
    } else {
      view.dropNote(item.id);
      view.status(`The note was not saved: ${message}`);
    }
  }
}
