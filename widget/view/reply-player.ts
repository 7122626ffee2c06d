import { el } from "./dom.js";

/**
 * Plays the bot's spoken reply. The audio is fetched with the bearer token (an `<audio src>`
 * cannot send one) and given to the element as an object URL; the previous reply's URL is
 * revoked, so replies do not pile up in memory. The player stays visible after the first
 * reply: it replays, and it is the way to listen when the browser refused to autoplay.
 */
export class ReplyPlayer {
  readonly element: HTMLAudioElement;
  private url: string | null = null;

  constructor(label: string) {
    this.element = el("audio", { controls: true, preload: "auto", "aria-label": label, hidden: true });
  }

  /** Resolves once playback starts; rejects when the browser refuses (autoplay policy) or cannot decode it. */
  async play(audio: Blob): Promise<void> {
    this.release();
    this.url = URL.createObjectURL(audio);
    this.element.src = this.url;
    this.element.hidden = false;
    await this.element.play();
  }

  /** Stops the reply, e.g. before recording, so the microphone does not hear it. */
  pause(): void {
    this.element.pause();
  }

  setLabel(label: string): void {
    this.element.setAttribute("aria-label", label);
  }

  dispose(): void {
    this.pause();
    this.element.removeAttribute("src");
    this.release();
  }

  private release(): void {
    if (this.url) URL.revokeObjectURL(this.url);
    this.url = null;
  }
}
