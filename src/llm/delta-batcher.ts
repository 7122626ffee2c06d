import type { Timers } from "./deadlines.js";
import { globalTimers } from "./deadlines.js";

/**
 * Coalesces a model's pieces of text into fewer, larger deltas: the first piece goes out at once
 * (the time to first token is what a user feels), later ones together every `everyMs`. A model
 * that streams word by word would otherwise cost a socket frame, an SSE event and their trip
 * through the runtime's streams per word (bench/README.md, "Streamed replies").
 *
 * @example
 * const batch = new DeltaBatcher(send, 40);
 * batch.push("Hel"); // sent now
 * batch.push("lo"); batch.push(" there"); // sent together 40 ms later, or at flush()
 */
export class DeltaBatcher {
  private pending = "";
  private timer: unknown = null;
  private sentAny = false;

  constructor(
    private readonly send: (text: string) => void,
    private readonly everyMs: number,
    private readonly timers: Timers = globalTimers,
  ) {}

  push(text: string): void {
    if (text.length === 0) return;
    this.pending += text;
    if (!this.sentAny) return this.flush();
    this.timer ??= this.timers.setTimeout(() => this.flush(), this.everyMs);
  }

  /** Sends what is waiting now (the end of the stream). */
  flush(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.length === 0) return;
    const text = this.pending;
    this.pending = "";
    this.sentAny = true;
    this.send(text);
  }
}
