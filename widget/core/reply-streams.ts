/** One piece of a reply being generated, as a `delta` frame carries it (src/protocol/frames.ts). */
export interface ReplyDelta {
  /** seq of the user's message the reply answers */
  replyTo: number;
  clientMessageId?: string | undefined;
  /** where `text` starts in the reply so far */
  offset: number;
  text: string;
}

/** A bot reply being generated, as far as it has come. */
export interface StreamingReply {
  replyTo: number;
  clientMessageId?: string;
  text: string;
}

/**
 * A streamed reply with no delta for this long is dropped from the screen. The server gives a
 * generation a much shorter deadline and then commits the scripted answer, so this only clears
 * a reply whose end this client never hears of (its final message is in the next replay).
 */
export const STREAM_IDLE_MS = 60_000;
/** Pieces that came before the text reaches their offset, kept per reply at most. */
const HELD_MAX = 64;

interface Stream {
  reply: StreamingReply;
  /** pieces that start past the text so far, by offset: placed once the text reaches them */
  held: Map<number, string>;
  timer?: ReturnType<typeof setTimeout>;
}

/**
 * The reply so far after a delta: its first `offset` characters, then `text`. A delta that
 * brings nothing new (a repeat, or the replay from offset 0 after a reconnect) leaves the text
 * as it is, so nothing is ever shown twice or taken back; one that starts past the end of the
 * text cannot be placed yet (null).
 *
 * @example
 * spliceDelta("We ship", 7, " today") // "We ship today"
 * spliceDelta("We ship today", 0, "We ship") // "We ship today"
 * spliceDelta("We", 7, " today") // null
 */
export function spliceDelta(current: string, offset: number, text: string): string | null {
  if (offset > current.length) return null;
  const next = current.slice(0, offset) + text;
  return current.startsWith(next) ? current : next;
}

/**
 * The bot replies being streamed, by the seq of the message they answer. A reply leaves when
 * a bot message after that seq arrives (the committed reply, which replaces the streamed
 * text), when its turn is refused, or after {@link STREAM_IDLE_MS} without a delta.
 */
export class ReplyStreams {
  private readonly streams = new Map<number, Stream>();
  /** Replies to messages below this seq are committed: a late delta for one is stale. */
  private answeredBelow = 0;

  constructor(
    private readonly onExpired: () => void,
    private readonly idleMs = STREAM_IDLE_MS,
  ) {}

  /** The replies with some text, oldest first (copies: a later delta does not change them). */
  get list(): readonly StreamingReply[] {
    return [...this.streams.values()]
      .filter((stream) => stream.reply.text.length > 0)
      .map((stream) => ({ ...stream.reply }))
      .sort((a, b) => a.replyTo - b.replyTo);
  }

  /** Applies a delta; returns whether the text shown changed. */
  apply(delta: ReplyDelta): boolean {
    if (delta.replyTo < this.answeredBelow) return false;
    const stream = this.streams.get(delta.replyTo) ?? this.open(delta);
    clearTimeout(stream.timer);
    stream.timer = setTimeout(() => this.expire(delta.replyTo), this.idleMs);
    const before = stream.reply.text;
    if (!place(stream, delta.offset, delta.text)) return false;
    return stream.reply.text !== before;
  }

  /** A bot message with this seq arrived: the replies to earlier messages are committed. */
  answered(seq: number): boolean {
    this.answeredBelow = Math.max(this.answeredBelow, seq);
    return this.dropWhere((reply) => reply.replyTo < seq);
  }

  /** The turn sent with this id was refused: its reply will not come. */
  refused(clientMessageId: string): boolean {
    return this.dropWhere((reply) => reply.clientMessageId === clientMessageId);
  }

  /** Forgets every reply (the conversation was erased, or the client stops). */
  clear(): void {
    this.dropWhere(() => true);
    this.answeredBelow = 0;
  }

  private open(delta: ReplyDelta): Stream {
    const reply: StreamingReply = { replyTo: delta.replyTo, text: "" };
    if (delta.clientMessageId !== undefined) reply.clientMessageId = delta.clientMessageId;
    const stream: Stream = { reply, held: new Map() };
    this.streams.set(delta.replyTo, stream);
    return stream;
  }

  private expire(replyTo: number): void {
    if (this.streams.delete(replyTo)) this.onExpired();
  }

  private dropWhere(test: (reply: StreamingReply) => boolean): boolean {
    let dropped = false;
    for (const [replyTo, stream] of this.streams) {
      if (!test(stream.reply)) continue;
      clearTimeout(stream.timer);
      this.streams.delete(replyTo);
      dropped ||= stream.reply.text.length > 0;
    }
    return dropped;
  }
}

/** Places a piece, then any held piece it makes reachable; returns false when the piece is held. */
function place(stream: Stream, offset: number, text: string): boolean {
  const next = spliceDelta(stream.reply.text, offset, text);
  if (next === null) {
    if (stream.held.size < HELD_MAX) stream.held.set(offset, text);
    return false;
  }
  stream.reply.text = next;
  for (let placed = true; placed; ) {
    placed = false;
    for (const [at, piece] of stream.held) {
      const joined = spliceDelta(stream.reply.text, at, piece);
      if (joined === null) continue;
      stream.held.delete(at);
      stream.reply.text = joined;
      placed = true;
    }
  }
  return true;
}
