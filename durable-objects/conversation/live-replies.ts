import type { DeltaFrame } from "../../src/protocol/frames.js";

export type DeltaListener = (frame: DeltaFrame) => void;

interface Live {
  replyTo: number;
  clientMessageId?: string;
  text: string;
  listeners: Set<DeltaListener>;
}

/** One reply being generated, as its writer holds it. */
export interface LiveReply {
  /** seq of the user's message it answers */
  readonly replyTo: number;
  /** the text generated so far */
  readonly text: string;
  append(text: string): void;
  /** the reply is committed (or given up): no more deltas */
  close(): void;
}

/**
 * The replies an actor is generating, by stream key (the turn's clientMessageId, or a key of
 * the request's own). Every delta goes to the user's sockets and to whoever listens for that
 * key — a `text/event-stream` request, or its repeat that joined it. A listener that comes in
 * the middle gets the text so far first, so nobody sees half a reply: a reconnecting socket
 * gets the same from {@link frames}.
 */
export class LiveReplies {
  private readonly live = new Map<string, Live>();
  /** listeners that came before their reply started (a stream request subscribes, then runs its turn) */
  private readonly early = new Map<string, Set<DeltaListener>>();

  constructor(private readonly toSockets: (frame: DeltaFrame) => void) {}

  open(key: string, replyTo: number, clientMessageId: string | undefined): LiveReply {
    const entry: Live = { replyTo, text: "", listeners: this.early.get(key) ?? new Set(), ...(clientMessageId === undefined ? {} : { clientMessageId }) };
    this.early.delete(key);
    this.live.set(key, entry);
    return {
      replyTo,
      get text() {
        return entry.text;
      },
      append: (text) => {
        if (text.length === 0) return;
        const frame = frameOf(entry, entry.text.length, text);
        entry.text += text;
        this.toSockets(frame);
        for (const listener of entry.listeners) listener(frame);
      },
      close: () => {
        if (this.live.get(key) === entry) this.live.delete(key);
      },
    };
  }

  /** Listens for `key`'s deltas (the text so far at once, if it is live). Returns the unsubscribe. */
  subscribe(key: string, listener: DeltaListener): () => void {
    const entry = this.live.get(key);
    if (entry) {
      if (entry.text.length > 0) listener(frameOf(entry, 0, entry.text));
      entry.listeners.add(listener);
      return () => entry.listeners.delete(listener);
    }
    const waiting = this.early.get(key) ?? new Set<DeltaListener>();
    waiting.add(listener);
    this.early.set(key, waiting);
    return () => {
      waiting.delete(listener);
      if (waiting.size === 0 && this.early.get(key) === waiting) this.early.delete(key);
      this.live.get(key)?.listeners.delete(listener);
    };
  }

  /** Each live reply's text so far, as one frame from offset 0: for a socket that just said hello. */
  frames(): DeltaFrame[] {
    return [...this.live.values()].filter((entry) => entry.text.length > 0).map((entry) => frameOf(entry, 0, entry.text));
  }
}

function frameOf(entry: Live, offset: number, text: string): DeltaFrame {
  return { type: "delta", replyTo: entry.replyTo, offset, text, ...(entry.clientMessageId === undefined ? {} : { clientMessageId: entry.clientMessageId }) };
}
