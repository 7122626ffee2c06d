import type { UiStrings, VoiceNote } from "../core/strings.js";
import type { VoiceState } from "../core/voice-turns.js";
import { MIC_ICON, STOP_ICON, el, icon, setText } from "./dom.js";
import { ReplyPlayer } from "./reply-player.js";

export interface VoiceBarActions {
  toggle(): void;
  cancel(): void;
}

/**
 * The voice controls: the microphone button (in the message form, hidden until voice is
 * available here), a status line that says where a voice turn is or why it stopped, and the
 * player of the spoken reply. It renders a {@link VoiceState}; the turn logic is VoiceTurns'.
 */
export class VoiceBar {
  readonly button: HTMLButtonElement;
  readonly note: HTMLParagraphElement;
  readonly player: ReplyPlayer;
  private actions: VoiceBarActions | null = null;
  private state: VoiceState = { phase: "idle" };
  private ended = false;

  constructor(private strings: UiStrings) {
    this.button = el("button", { class: "mic", type: "button", "aria-pressed": "false", hidden: true }, [icon(MIC_ICON)]);
    this.note = el("p", { class: "voice-note", role: "status" });
    this.player = new ReplyPlayer(strings.spokenReply);
    this.button.addEventListener("click", () => this.actions?.toggle());
    this.setStrings(strings);
  }

  /** Voice is available to this user in this browser: shows the microphone. */
  enable(actions: VoiceBarActions): void {
    this.actions = actions;
    this.button.hidden = false;
  }

  /** The panel was closed: a recording in progress is dropped, not left running unseen, and the reply stops. */
  cancel(): void {
    this.actions?.cancel();
    this.player.pause();
  }

  /** The chat session ended: no more turns, as the text box is disabled too. */
  setEnded(ended: boolean): void {
    this.ended = ended;
    this.button.disabled = ended;
  }

  setStrings(strings: UiStrings): void {
    this.strings = strings;
    this.button.setAttribute("aria-label", strings.record);
    this.player.setLabel(strings.spokenReply);
    this.render(this.state);
  }

  render(state: VoiceState): void {
    this.state = state;
    const recording = state.phase === "recording";
    if (recording !== (this.button.getAttribute("aria-pressed") === "true")) this.button.replaceChildren(icon(recording ? STOP_ICON : MIC_ICON));
    this.button.setAttribute("aria-pressed", String(recording));
    // aria-disabled rather than disabled: a disabled button would drop the keyboard focus.
    const busy = state.phase === "starting" || state.phase === "working";
    if (busy) this.button.setAttribute("aria-disabled", "true");
    else this.button.removeAttribute("aria-disabled");
    const note = noteOf(state);
    setText(this.note, note ? this.strings.voice[note] : "");
    this.note.classList.toggle("problem", state.phase === "problem");
    if (state.phase === "starting") this.player.pause();
    this.button.disabled = this.ended;
  }
}

function noteOf(state: VoiceState): VoiceNote | null {
  switch (state.phase) {
    case "recording":
      return "recording";
    case "working":
      if (state.step === "sending" || state.step === "queued") return "sending";
      return state.step === "transcribing" ? "transcribing" : "replying";
    case "problem":
      return state.problem;
    default:
      return null;
  }
}
