import { el, setText } from "./dom.js";

/**
 * The quick replies: buttons in a `role="toolbar"`, one Tab stop for the whole bar and
 * arrow keys (Home/End too) to move between them, as the WAI-ARIA toolbar pattern asks.
 */
export class QuickReplies {
  readonly element: HTMLDivElement;
  private shown: readonly string[] = [];

  constructor(label: string, onChoose: (text: string) => void) {
    this.element = el("div", { class: "quick", role: "toolbar", "aria-label": label, "aria-orientation": "horizontal", hidden: true });
    this.element.addEventListener("click", (event) => {
      const button = (event.target as Element | null)?.closest("button");
      if (button && this.element.contains(button)) onChoose(button.textContent ?? "");
    });
    this.element.addEventListener("keydown", (event) => this.move(event));
  }

  render(replies: readonly string[]): void {
    if (sameList(replies, this.shown)) return;
    this.shown = replies;
    const buttons = replies.map((reply, index) => {
      const button = el("button", { type: "button", tabindex: index === 0 ? "0" : "-1" });
      setText(button, reply);
      return button;
    });
    this.element.replaceChildren(...buttons);
    this.element.hidden = buttons.length === 0;
  }

  setLabel(label: string): void {
    this.element.setAttribute("aria-label", label);
  }

  private move(event: KeyboardEvent): void {
    const buttons = Array.from(this.element.querySelectorAll("button"));
    const current = buttons.indexOf(event.target as HTMLButtonElement);
    if (current === -1) return;
    const last = buttons.length - 1;
    const targets: Record<string, number> = {
      ArrowRight: current === last ? 0 : current + 1,
      ArrowDown: current === last ? 0 : current + 1,
      ArrowLeft: current === 0 ? last : current - 1,
      ArrowUp: current === 0 ? last : current - 1,
      Home: 0,
      End: last,
    };
    const next = targets[event.key];
    if (next === undefined) return;
    event.preventDefault();
    buttons.forEach((button, index) => button.setAttribute("tabindex", index === next ? "0" : "-1"));
    buttons[next]?.focus();
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}
