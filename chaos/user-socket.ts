/** One user's Parley WebSocket (docs/api.md → WebSocket): `hello since`, `say`, and every `message` frame it got. */
import { RawSocket } from "./raw-socket.js";

export interface MessageFrame {
  type: "message";
  seq: number;
  role: "user" | "bot";
  clientMessageId?: string;
}

export class UserSocket {
  /** the seq of every `message` frame, in arrival order */
  readonly seqs: number[] = [];
  readonly frames: MessageFrame[] = [];
  /** `error` frames, as text */
  readonly errors: string[] = [];
  private waiters: { until: (frame: MessageFrame) => boolean; resolve: () => void }[] = [];

  private constructor(readonly raw: RawSocket) {
    raw.onText((text) => this.onText(text));
  }

  /** Opens `/v1/ws` with `parley.v1` and `bearer.<token>`, then sends `hello` from `since`. */
  static async open(origin: string, token: string, since: number): Promise<UserSocket> {
    const socket = new UserSocket(await RawSocket.open(origin, "/v1/ws", ["parley.v1", `bearer.${token}`]));
    socket.raw.send(JSON.stringify({ type: "hello", since }));
    return socket;
  }

  say(text: string, clientMessageId: string): void {
    this.raw.send(JSON.stringify({ type: "say", text, clientMessageId }));
  }

  /** The highest seq shown so far: what a reconnect says `hello since`. */
  lastSeq(): number {
    return this.seqs.reduce((max, seq) => Math.max(max, seq), 0);
  }

  /** Resolves once a frame matching `until` has arrived (now or before), or after `timeoutMs` with false. */
  waitFor(until: (frame: MessageFrame) => boolean, timeoutMs = 15_000): Promise<boolean> {
    if (this.frames.some(until)) return Promise.resolve(true);
    return this.nextFrame(until, timeoutMs);
  }

  /**
   * Resolves once a frame matching `until` arrives from now on, or after `timeoutMs` with false.
   * Each frame is tested once, as it arrives: a long-lived socket's wait costs no more than a new one's.
   */
  nextFrame(until: (frame: MessageFrame) => boolean, timeoutMs = 15_000): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter !== entry);
        resolve(false);
      }, timeoutMs);
      const entry = {
        until,
        resolve: () => {
          clearTimeout(timer);
          resolve(true);
        },
      };
      this.waiters.push(entry);
    });
  }

  private onText(text: string): void {
    let frame: { type?: unknown; seq?: unknown };
    try {
      frame = JSON.parse(text) as { type?: unknown; seq?: unknown };
    } catch {
      this.errors.push(`not JSON: ${text.slice(0, 100)}`);
      return;
    }
    if (frame.type === "error") this.errors.push(text);
    if (frame.type !== "message" || typeof frame.seq !== "number") return;
    const message = frame as MessageFrame;
    this.seqs.push(message.seq);
    this.frames.push(message);
    for (const waiter of this.waiters.filter((entry) => entry.until(message))) {
      this.waiters = this.waiters.filter((entry) => entry !== waiter);
      waiter.resolve();
    }
  }
}

/**
 * What a socket's frames break, compared with history's seqs: a repeat, a seq out of order, or a
 * message of history (above `since`) it never got. Returns one line per break.
 *
 * @example
 * socketBreaks([1, 3], [1, 3, 5], 0); // ["missed 1 (5)"]
 */
export function socketBreaks(received: readonly number[], history: readonly number[], since: number): string[] {
  const out: string[] = [];
  const seen = new Set<number>();
  let last = since;
  for (const seq of received) {
    if (seen.has(seq)) out.push(`repeat ${seq}`);
    else if (seq <= last) out.push(`out of order ${seq} after ${last}`);
    seen.add(seq);
    last = Math.max(last, seq);
  }
  const missed = history.filter((seq) => seq > since && !seen.has(seq));
  if (missed.length > 0) out.push(`missed ${missed.length} (${missed.slice(0, 5).join(", ")})`);
  return out;
}
