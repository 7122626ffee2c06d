// @ts-check
// The lower parts of a held conversation's panel (conversation-view.js): internal notes, and
// Transfer / End. They report what the agent does through the conversation's actions.
import { el, uniqueId } from "./dom.js";

/** @typedef {import("./conversation-view.js").ConversationActions} ConversationActions */

/**
 * Internal notes: the list and the box, clearly marked as never shown to the customer.
 * @param {string} draft
 * @param {ConversationActions} actions
 */
export function notesSection(draft, actions) {
  const headingId = uniqueId("notes");
  const boxId = uniqueId("note");
  const list = el("ul", { "data-testid": "notes" });
  const empty = el("p", { class: "meta" }, ["No notes yet."]);
  const box = el("textarea", { id: boxId, name: "note", maxlength: "2000" });
  box.value = draft;
  box.addEventListener("input", () => actions.draftChanged("note", box.value));
  const form = el("form", { class: "note-form" }, [
    el("label", { for: boxId }, ["Internal note (not shown to the customer)"]),
    box,
    el("div", { class: "row" }, [el("button", { type: "submit" }, ["Add note"])]),
  ]);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = box.value.trim();
    if (text === "") return;
    box.value = "";
    actions.addNote(text);
  });
  const section = el("section", { class: "notes", "aria-labelledby": headingId }, [
    el("h4", { id: headingId }, ["Internal notes — not shown to the customer"]),
    empty,
    list,
    form,
  ]);
  return { section, list, empty, box };
}

/**
 * Transfer (to a queue typed or picked from `queues`) and End.
 * @param {HTMLDataListElement} queues
 * @param {ConversationActions} actions
 */
export function actionsSection(queues, actions) {
  const inputId = uniqueId("transfer");
  queues.id = `${inputId}-queues`;
  const input = el("input", { id: inputId, name: "toQueue", list: `${inputId}-queues`, autocomplete: "off", spellcheck: "false", size: "12" });
  const transfer = el("button", { type: "submit" }, ["Transfer"]);
  const end = el("button", { type: "button", class: "danger" }, ["End conversation"]);
  end.setAttribute("aria-describedby", `${inputId}-end`);
  const form = el("form", { class: "row", "aria-label": "Transfer" }, [el("label", { for: inputId }, ["Transfer to queue"]), input, queues, transfer]);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (input.value.trim() !== "") actions.transfer(input.value.trim());
  });
  end.addEventListener("click", () => actions.end());
  return el("div", { class: "actions" }, [
    form,
    el("div", { class: "row" }, [end, el("span", { id: `${inputId}-end`, class: "hint" }, ["Hands the conversation back to the bot, resolved."])]),
  ]);
}
