import type { ChatState } from "../core/chat-client.js";
import type { Speaker } from "../core/speakers.js";
import { speakerOf } from "../core/speakers.js";
import type { UiStrings } from "../core/strings.js";
import type { TimelineMessage } from "../core/timeline.js";
import { el, setText } from "./dom.js";

interface Item {
  key: string;
  role: TimelineMessage["role"];
  speaker: Speaker;
  text: string;
  /** Under the bubble: "Sending…", "Not sent: …", or nothing. */
  note: string;
  kind: "sent" | "pending" | "failed" | "streaming";
}

/**
 * The conversation as a `role="log"` live region. Rendering is keyed: an item keeps its
 * element for life (a user message keeps it from "sending" to confirmed), and new items are
 * appended, so assistive technology announces each message once, as an addition.
 *
 * A bot reply being streamed is one element whose text grows in place, hidden from assistive
 * technology (it would be announced piece by piece); its final message is a new element that
 * takes its place, announced once like any other.
 */
export class MessageList {
  readonly element: HTMLDivElement;
  private readonly elements = new Map<string, HTMLElement>();

  constructor(private strings: UiStrings) {
    this.element = el("div", {
      class: "log",
      role: "log",
      "aria-live": "polite",
      "aria-relevant": "additions",
      "aria-label": strings.messages,
      tabindex: "0",
    });
  }

  setStrings(strings: UiStrings): void {
    this.strings = strings;
    this.element.setAttribute("aria-label", strings.messages);
  }

  render(state: ChatState): void {
    const stick = this.nearBottom();
    const items = this.items(state);
    const wanted = new Set(items.map((item) => item.key));
    for (const [key, element] of this.elements) {
      if (!wanted.has(key)) {
        element.remove();
        this.elements.delete(key);
      }
    }
    items.forEach((item, index) => {
      const element = this.elements.get(item.key) ?? this.create(item);
      this.update(element, item);
      const here = this.element.children[index] ?? null;
      if (here !== element) this.element.insertBefore(element, here);
    });
    if (stick) this.element.scrollTop = this.element.scrollHeight;
  }

  private items(state: ChatState): Item[] {
    const s = this.strings;
    const sent = state.messages.map(
      (message): Item => ({
        key: message.clientMessageId ? `c:${message.clientMessageId}` : `s:${message.seq}`,
        role: message.role,
        speaker: speakerOf(message, s),
        text: message.text,
        note: "",
        kind: "sent",
      }),
    );
    const bot = speakerOf({ role: "bot" }, s);
    const streaming = state.streaming.map(
      (reply): Item => ({ key: `r:${reply.replyTo}`, role: "bot", speaker: bot, text: reply.text, note: "", kind: "streaming" }),
    );
    const you = speakerOf({ role: "user" }, s);
    const failed = state.failed.map(
      (entry): Item => ({
        key: `f:${entry.clientMessageId}`,
        role: "user",
        speaker: you,
        text: entry.text,
        note: `${s.notSent}: ${entry.reason}`,
        kind: "failed",
      }),
    );
    const pending = state.pending.map(
      (entry): Item => ({
        key: `c:${entry.clientMessageId}`,
        role: "user",
        speaker: you,
        text: entry.text,
        note: s.sending,
        kind: "pending",
      }),
    );
    return [...sent, ...streaming, ...failed, ...pending];
  }

  /**
   * A message: the speaker for screen readers, an agent's name shown above the bubble (hidden
   * from screen readers, which hear it in the prefix), the text, and the note under it.
   */
  private create(item: Item): HTMLElement {
    const element = el("div", { "aria-hidden": item.kind === "streaming" ? "true" : undefined }, [
      el("span", { class: "sr" }),
      el("span", { class: "name", "aria-hidden": "true" }),
      el("p", { class: "bubble" }),
      el("span", { class: "note" }),
    ]);
    this.elements.set(item.key, element);
    return element;
  }

  private update(element: HTMLElement, item: Item): void {
    const className = `msg ${item.role} ${item.kind}`;
    if (element.className !== className) element.className = className;
    const [who, name, bubble, note] = Array.from(element.children);
    if (who) setText(who, item.speaker.prefix);
    if (name) setText(name, item.speaker.label);
    if (bubble) setText(bubble, item.text);
    if (note) setText(note, item.note);
  }

  private nearBottom(): boolean {
    const log = this.element;
    return log.scrollHeight - log.scrollTop - log.clientHeight < 48;
  }
}
