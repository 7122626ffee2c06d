// @ts-check
// One conversation the agent holds: its summary, its history (masked, as the server sends it),
// internal notes, the reply box with canned replies, Transfer and End. It renders and reports
// what the agent does; the desk (desk.js) decides and talks to the server.
import { actionsSection, notesSection } from "./conversation-forms.js";
import { definitionList, el, setText, uniqueId } from "./dom.js";
import { cannedText, formatWait, languageName, reasonText, slotsText, speakerName } from "./format.js";

/**
 * @typedef {import("./api.js").HeldEntry} HeldEntry
 * @typedef {import("./api.js").VisibleMessage} VisibleMessage
 * @typedef {import("./api.js").Note} Note
 * @typedef {import("./api.js").CannedReply} CannedReply
 * @typedef {import("./session-store.js").OutboxItem} OutboxItem
 * @typedef {{ sendReply: (text: string) => void, addNote: (text: string) => void, typing: () => void,
 *   draftChanged: (box: "reply" | "note", text: string) => void, transfer: (toQueue: string) => void, end: () => void }} ConversationActions
 */

/** @type {Record<"sending" | "waiting" | "failed", string>} */
const PENDING_TEXT = { sending: "Sending…", waiting: "Not sent yet: it goes out, once, when the connection is back.", failed: "Not sent" };

export class ConversationView {
  /**
   * @param {{ bot: string, queue: string, entry: HeldEntry, selfId: string, drafts: { reply: string, note: string } }} init
   * @param {ConversationActions} actions
   */
  constructor(init, actions) {
    this.bot = init.bot;
    this.queue = init.queue;
    this.entryId = init.entry.entryId;
    this.language = init.entry.language;
    this.selfId = init.selfId;
    this.actions = actions;
    /** @type {Map<string, HTMLLIElement>} keyed `s:<seq>` or `p:<messageId>`, in order */
    this.messages = new Map();
    /** @type {Map<string, HTMLLIElement>} */
    this.notes = new Map();
    /** @type {CannedReply[]} */
    this.canned = [];
    const id = uniqueId("conversation");
    this.heading = el("h3", { id, tabindex: "-1" }, [this.title]);
    this.summary = el("div");
    // Quiet until the history is in: a claim should not read the whole conversation aloud.
    this.history = el("ol", { class: "history", role: "log", "aria-live": "off", "aria-label": "Messages with the customer", "data-testid": "history" });
    this.statusLine = el("p", { class: "notice", role: "status" });
    this.reply = this.replyForm(init.drafts.reply);
    this.notesBox = notesSection(init.drafts.note, actions);
    /** The transfer box's suggestions: the bot's other queues this page watches. */
    this.transferList = el("datalist");
    this.element = el("section", { class: "card conversation", "aria-labelledby": id, "data-testid": "conversation", "data-entry-id": this.entryId }, [
      this.heading,
      this.summary,
      el("h4", { class: "visually-hidden" }, ["History"]),
      this.history,
      this.statusLine,
      this.reply.form,
      this.notesBox.section,
      actionsSection(this.transferList, actions),
    ]);
    this.setEntry(init.entry);
  }

  /** How the page names this conversation (no user id: agents never see it). */
  get title() {
    return `Conversation ${this.entryId.slice(0, 6)} · ${this.bot} / ${this.queue}`;
  }

  /** @param {HeldEntry} entry */
  setEntry(entry) {
    const { summary } = entry;
    this.summary.replaceChildren(
      definitionList(
        [
          ["Language", languageName(entry.language)],
          ["Intent", summary.intent ?? "none"],
          ["Reason", reasonText(summary.reason)],
          ["Details", slotsText(summary.slots)],
          ["Waited", formatWait(entry.waitedSeconds)],
          ["Claimed", new Date(entry.claimedAt).toLocaleTimeString()],
        ],
        "summary",
      ),
    );
    for (const note of entry.notes) this.addNote(note);
    if (this.messages.size === 0) for (const message of summary.lastMessages) this.addMessage(message);
  }

  /**
   * Adds a message unless it is on screen already; returns whether it is new.
   * @param {VisibleMessage} message
   */
  addMessage(message) {
    const key = `s:${message.seq}`;
    if (this.messages.has(key)) return false;
    const who = speakerName(message, this.selfId);
    const item = el("li", { class: message.role, "data-seq": String(message.seq), "data-state": "sent" }, [
      who ? el("span", { class: "who" }, [`${who}:`]) : "",
      who ? " " : "",
      el("span", { class: "text" }, [message.text]),
    ]);
    const later = [...this.messages.entries()].find(([other, element]) => other.startsWith("s:") && Number(element.dataset["seq"]) > message.seq);
    const firstPending = [...this.messages.entries()].find(([other]) => other.startsWith("p:"));
    this.history.insertBefore(item, later?.[1] ?? firstPending?.[1] ?? null);
    this.messages.set(key, item);
    this.scrollDown();
    return true;
  }

  /**
   * A reply the server has not confirmed yet, shown after the history.
   * @param {OutboxItem} item
   * @param {"sending" | "waiting" | "failed"} state
   * @param {string} [detail]
   */
  showPending(item, state, detail = "") {
    const key = `p:${item.id}`;
    let element = this.messages.get(key);
    if (!element) {
      element = el("li", { class: "agent pending", "data-message-id": item.id }, [
        el("span", { class: "who" }, ["You:"]),
        " ",
        item.text,
        el("span", { class: "state" }),
      ]);
      this.history.append(element);
      this.messages.set(key, element);
      this.scrollDown();
    }
    element.className = state === "failed" ? "agent failed" : "agent pending";
    element.dataset["state"] = state;
    const note = element.querySelector(".state");
    if (note) setText(note, detail ? `${PENDING_TEXT[state]}: ${detail}` : PENDING_TEXT[state]);
  }

  /**
   * The server has the reply: it becomes a message of the history at its seq.
   * @param {OutboxItem} item
   * @param {number} seq
   */
  confirmed(item, seq) {
    this.dropPending(item.id);
    this.addMessage({ seq, at: Date.now(), role: "agent", text: item.text, author: { id: this.selfId, name: "" } });
  }

  /** @param {string} id */
  dropPending(id) {
    this.messages.get(`p:${id}`)?.remove();
    this.messages.delete(`p:${id}`);
  }

  /**
   * @param {Note} note
   * @param {string} [state] shown beside a note not saved yet
   */
  addNote(note, state = "") {
    const known = this.notes.get(note.noteId);
    const text = `${note.author.name || "You"}, ${new Date(note.at).toLocaleTimeString()}: ${note.text}${state ? ` (${state})` : ""}`;
    if (known) return setText(known, text);
    const item = el("li", { "data-note-id": note.noteId }, [text]);
    this.notesBox.list.append(item);
    this.notes.set(note.noteId, item);
    this.notesBox.empty.hidden = true;
  }

  /** @param {string} noteId */
  dropNote(noteId) {
    this.notes.get(noteId)?.remove();
    this.notes.delete(noteId);
    this.notesBox.empty.hidden = this.notes.size > 0;
  }

  /** From now on new messages are announced (after the history is loaded, or could not be). */
  goLive() {
    this.history.setAttribute("aria-live", "polite");
  }

  /** @param {CannedReply[]} replies */
  setCanned(replies) {
    this.canned = replies;
    const options = replies.map((reply) => el("option", { value: reply.id }, [cannedText(reply.text, this.language)]));
    this.reply.canned.replaceChildren(el("option", { value: "" }, [replies.length > 0 ? "Choose a canned reply…" : "No canned replies"]), ...options);
    this.reply.canned.disabled = replies.length === 0;
    this.reply.insert.disabled = replies.length === 0;
  }

  /** @param {string} text a message for the agent about this conversation (role=status) */
  status(text) {
    setText(this.statusLine, text);
  }

  /** The reply box after a send: empty, ready for the next one. */
  clearReply() {
    this.reply.box.value = "";
  }

  /**
   * A reply the server refused goes back into the box, unless the agent typed something new.
   * @param {string} text
   */
  restoreReply(text) {
    if (this.reply.box.value.trim() === "") {
      this.reply.box.value = text;
      this.actions.draftChanged("reply", text);
    }
  }

  /** @param {boolean} busy while a transfer or an end is on its way */
  setBusy(busy) {
    for (const button of this.element.querySelectorAll(".actions button")) /** @type {HTMLButtonElement} */ (button).disabled = busy;
  }

  /** @param {string[]} queues the bot's other queues the page knows of, for the transfer box */
  setTransferTargets(queues) {
    this.transferList.replaceChildren(...queues.filter((queue) => queue !== this.queue).map((queue) => el("option", { value: queue })));
  }

  focusReply() {
    this.reply.box.focus();
  }

  scrollDown() {
    this.history.scrollTop = this.history.scrollHeight;
  }

  /** @param {string} draft */
  replyForm(draft) {
    const boxId = uniqueId("reply");
    const cannedId = uniqueId("canned");
    const box = el("textarea", { id: boxId, name: "reply", maxlength: "2000", "aria-describedby": `${boxId}-hint` });
    box.value = draft;
    const canned = el("select", { id: cannedId }, [el("option", { value: "" }, ["Loading canned replies…"])]);
    const insert = el("button", { type: "button" }, ["Insert"]);
    insert.setAttribute("aria-label", "Insert the canned reply");
    const form = el("form", { class: "reply", "aria-label": "Reply" }, [
      el("label", { for: boxId }, ["Reply to the customer"]),
      box,
      el("p", { id: `${boxId}-hint`, class: "hint" }, ["Enter sends, Shift+Enter starts a new line. The customer sees your name."]),
      el("div", { class: "row" }, [el("label", { for: cannedId }, ["Canned reply"]), canned, insert, el("button", { type: "submit" }, ["Send reply"])]),
    ]);
    insert.addEventListener("click", () => this.insertCanned());
    box.addEventListener("input", () => {
      this.actions.draftChanged("reply", box.value);
      if (box.value.trim() !== "") this.actions.typing();
    });
    box.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (box.value.trim() !== "") this.actions.sendReply(box.value.trim());
    });
    return { form, box, canned, insert };
  }

  /** Puts the chosen canned reply into the box (at the cursor); the agent still reviews and sends it. */
  insertCanned() {
    const chosen = this.canned.find((reply) => reply.id === this.reply.canned.value);
    if (!chosen) return;
    const box = this.reply.box;
    const text = cannedText(chosen.text, this.language);
    box.setRangeText(text, box.selectionStart, box.selectionEnd, "end");
    this.actions.draftChanged("reply", box.value);
    box.focus();
  }
}
