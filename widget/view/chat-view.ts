import type { ChatState } from "../core/chat-client.js";
import { MAX_MESSAGE_LENGTH } from "../core/chat-client.js";
import { typingText } from "../core/speakers.js";
import type { UiStrings } from "../core/strings.js";
import { CHAT_ICON, CLOSE_ICON, SEND_ICON, el, icon, setText } from "./dom.js";
import { MessageList } from "./message-list.js";
import { QuickReplies } from "./quick-replies.js";
import { STYLES } from "./styles.js";
import { VoiceBar } from "./voice-bar.js";

export type ColorScheme = "light" | "dark";

export interface ChatViewActions {
  send(text: string): void;
}

/**
 * The widget's DOM inside a shadow root: a launcher button and a dialog panel with the
 * message log, typing indicator, quick replies and the message box. It renders a
 * {@link ChatState} and reports what the user does; it holds no chat logic.
 */
export class ChatView {
  readonly root: HTMLDivElement;
  /** The microphone, hidden until mount finds voice available (voice-setup.ts). */
  readonly voice: VoiceBar;
  private readonly launcher: HTMLButtonElement;
  private readonly panel: HTMLElement;
  private readonly heading: HTMLHeadingElement;
  private readonly status: HTMLParagraphElement;
  private readonly list: MessageList;
  private readonly typing: HTMLDivElement;
  private readonly typingText: HTMLSpanElement;
  private readonly quick: QuickReplies;
  private readonly input: HTMLTextAreaElement;
  private readonly sendButton: HTMLButtonElement;
  private state: ChatState | null = null;

  constructor(
    shadow: ShadowRoot,
    private strings: UiStrings,
    private readonly actions: ChatViewActions,
  ) {
    const panelId = "parley-panel";
    this.launcher = el("button", { class: "launcher", type: "button", "aria-expanded": "false", "aria-controls": panelId }, [icon(CHAT_ICON)]);
    this.heading = el("h2", { id: "parley-title" });
    this.status = el("p", { class: "status", role: "status" });
    this.list = new MessageList(strings);
    this.typingText = el("span");
    this.typing = el("div", { class: "typing", hidden: true }, [
      el("span", { class: "dots", "aria-hidden": "true" }, [el("i"), el("i"), el("i")]),
      this.typingText,
    ]);
    this.quick = new QuickReplies(strings.quickReplies, (text) => this.choose(text));
    this.input = el("textarea", { rows: "1", maxlength: String(MAX_MESSAGE_LENGTH), enterkeyhint: "send" });
    this.sendButton = el("button", { class: "send", type: "submit" }, [icon(SEND_ICON)]);
    this.voice = new VoiceBar(strings);
    const form = el("form", { class: "form" }, [this.input, this.voice.button, this.sendButton]);
    this.panel = el("section", { class: "panel", id: panelId, role: "dialog", "aria-labelledby": "parley-title", hidden: true }, [
      el("div", { class: "head" }, [this.heading]),
      this.status,
      this.list.element,
      this.typing,
      this.quick.element,
      this.voice.note,
      this.voice.player.element,
      form,
    ]);
    this.root = el("div", { class: "root" }, [this.panel, this.launcher]);
    shadow.append(el("style", {}, [STYLES]), this.root);
    this.listen(form);
    this.applyStrings();
  }

  get isOpen(): boolean {
    return !this.panel.hidden;
  }

  /** Opens the panel and puts the cursor in the message box. */
  open(): void {
    this.panel.hidden = false;
    this.launcher.setAttribute("aria-expanded", "true");
    this.launcher.replaceChildren(icon(CLOSE_ICON));
    this.launcher.setAttribute("aria-label", this.strings.closeChat);
    this.list.element.scrollTop = this.list.element.scrollHeight;
    this.input.focus();
  }

  /** Closes the panel and gives focus back to the launcher, where the user left from. */
  close(): void {
    if (!this.isOpen) return;
    this.voice.cancel();
    this.panel.hidden = true;
    this.launcher.setAttribute("aria-expanded", "false");
    this.launcher.replaceChildren(icon(CHAT_ICON));
    this.launcher.setAttribute("aria-label", this.strings.openChat);
    this.launcher.focus();
  }

  setScheme(scheme: ColorScheme): void {
    this.root.dataset["scheme"] = scheme;
  }

  setStrings(strings: UiStrings): void {
    this.strings = strings;
    this.list.setStrings(strings);
    this.quick.setLabel(strings.quickReplies);
    this.voice.setStrings(strings);
    this.applyStrings();
  }

  render(state: ChatState): void {
    this.state = state;
    this.list.render(state);
    this.quick.render(state.typing || state.streaming.length > 0 ? [] : state.quickReplies);
    this.typing.hidden = !state.typing;
    setText(this.typingText, typingText(state.typingAgent, this.strings));
    setText(this.status, this.strings.status[state.status]);
    const ended = state.status === "ended";
    this.input.disabled = ended;
    this.sendButton.disabled = ended;
    this.voice.setEnded(ended);
  }

  /** Enter sends (Shift+Enter is a new line; not while an IME is composing), Escape closes. */
  private listen(form: HTMLFormElement): void {
    this.launcher.addEventListener("click", () => (this.isOpen ? this.close() : this.open()));
    this.panel.addEventListener("keydown", (event) => event.key === "Escape" && this.close());
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submit();
    });
    this.input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.submit();
      }
    });
  }

  private submit(): void {
    const text = this.input.value;
    if (text.trim().length === 0) return;
    this.actions.send(text);
    this.input.value = "";
    this.input.focus();
  }

  /** A quick reply is sent as if typed; focus returns to the box, as the bar is about to change. */
  private choose(text: string): void {
    if (text.length > 0) this.actions.send(text);
    this.input.focus();
  }

  private applyStrings(): void {
    const s = this.strings;
    this.launcher.setAttribute("aria-label", this.isOpen ? s.closeChat : s.openChat);
    setText(this.heading, s.title);
    setText(this.typingText, typingText(this.state?.typingAgent ?? null, s));
    this.input.setAttribute("aria-label", s.input);
    this.input.placeholder = s.placeholder;
    this.sendButton.setAttribute("aria-label", s.send);
    if (this.state) this.render(this.state);
  }
}
