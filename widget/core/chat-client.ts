import type { ErrorFrame, MessageFrame, ServerFrame, VoiceFrame } from "../../src/protocol/frames.js";
import type { BackoffPolicy } from "./backoff.js";
import { backoffDelay } from "./backoff.js";
import type { ConnectionOptions, ConnectionStatus } from "./connection.js";
import { Connection } from "./connection.js";
import { newClientMessageId } from "./ids.js";
import type { OutboxEntry } from "./outbox.js";
import { Outbox } from "./outbox.js";
import type { StreamingReply } from "./reply-streams.js";
import { ReplyStreams } from "./reply-streams.js";
import type { KeyValueStore } from "./storage.js";
import type { TimelineMessage } from "./timeline.js";
import { Timeline } from "./timeline.js";

/** The contract's limit on a message (src/protocol/messages.ts, TEXT_MAX). */
export const MAX_MESSAGE_LENGTH = 2000;
/** A typing indicator whose reply never came stops after this long. */
export const TYPING_TIMEOUT_MS = 20_000;
/**
 * An agent's typing indicator stops this long after their last typing frame: a person pauses,
 * deletes, or leaves the reply unsent (the agent page repeats the frame while they type).
 */
export const AGENT_TYPING_TIMEOUT_MS = 8_000;
/**
 * After a retryable refusal (rate limit, overload, outage) the outbox is offered again after at
 * least a second (the server's Retry-After) plus a jittered backoff that grows with each refusal
 * in a row: thousands of widgets refused together do not come back in lockstep. Safe: the same
 * clientMessageIds, so the server applies each message once.
 */
export const RETRY_REFUSED_MIN_MS = 1_000;
export const RETRY_REFUSED_BACKOFF: BackoffPolicy = { baseMs: 2_000, maxMs: 30_000 };

const RETRYABLE = new Set(["rate_limited", "unavailable", "internal"]);

export interface FailedMessage {
  clientMessageId: string;
  text: string;
  reason: string;
}

export interface ChatState {
  messages: readonly TimelineMessage[];
  /** Sent by the user, not yet confirmed by the server: shown after the messages. */
  pending: readonly OutboxEntry[];
  failed: readonly FailedMessage[];
  quickReplies: readonly string[];
  /** Bot replies being generated, shown after the messages until their final message comes. */
  streaming: readonly StreamingReply[];
  /** Someone is writing: an agent, or the bot while no reply of its is streaming yet. */
  typing: boolean;
  /** The display name of the human agent typing, or null (the bot, or nobody, is typing). */
  typingAgent: string | null;
  status: ConnectionStatus;
}

export type ChatClientOptions = Omit<ConnectionOptions, "onOpen" | "onFrame" | "onStatus" | "onReset"> & {
  store: KeyValueStore;
  /** Names the outbox in storage: one per endpoint. */
  outboxKey: string;
};

/**
 * The chat without its looks: what is on screen (a {@link Timeline}), what waits to be sent
 * (an {@link Outbox}) and the live connection. On every (re)connect it says `hello` from the
 * last seq shown, then offers every waiting message again under its original id: the server
 * runs each id once, so a message typed offline is delivered exactly once.
 */
export class ChatClient {
  private timeline = new Timeline();
  private readonly streams = new ReplyStreams(() => this.emit());
  private readonly outbox: Outbox;
  private readonly connection: Connection;
  private readonly listeners = new Set<(state: ChatState) => void>();
  private readonly voiceListeners = new Set<(frame: VoiceFrame) => void>();
  private failed: FailedMessage[] = [];
  private typing = false;
  private typingAgent: string | null = null;
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** retryable refusals in a row: the next retry's backoff */
  private refusals = 0;

  constructor(options: ChatClientOptions) {
    this.outbox = new Outbox(options.store, options.outboxKey);
    this.connection = new Connection({
      ...options,
      onOpen: () => this.opened(),
      onFrame: (frame) => this.received(frame),
      onStatus: () => this.emit(),
      onReset: () => {
        this.timeline = new Timeline();
        this.streams.clear();
        this.emit();
      },
    });
  }

  get state(): ChatState {
    const streaming = this.streams.list;
    // The bot's dots give way to its reply as soon as the reply's first words are on screen.
    const typing = this.typing && (this.typingAgent !== null || streaming.length === 0);
    return {
      messages: this.timeline.messages,
      pending: this.outbox.list().filter((entry) => !this.timeline.hasClientMessage(entry.clientMessageId)),
      failed: this.failed,
      quickReplies: this.timeline.quickReplies(),
      streaming,
      typing,
      typingAgent: typing ? this.typingAgent : null,
      status: this.connection.state,
    };
  }

  subscribe(listener: (state: ChatState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Voice jobs' status changes; their transcript and reply come as ordinary messages. */
  onVoice(listener: (frame: VoiceFrame) => void): () => void {
    this.voiceListeners.add(listener);
    return () => this.voiceListeners.delete(listener);
  }

  start(): void {
    this.connection.start();
    this.emit();
  }

  stop(): void {
    clearTimeout(this.typingTimer);
    this.streams.clear();
    clearTimeout(this.retryTimer);
    this.connection.stop();
  }

  /** Queues a message and sends it now if the connection is live. Returns false for blank text. */
  send(text: string): boolean {
    const trimmed = text.trim();
    if (trimmed.length === 0) return false;
    const entry: OutboxEntry = { clientMessageId: newClientMessageId(), text: trimmed.slice(0, MAX_MESSAGE_LENGTH), createdAt: Date.now() };
    this.outbox.add(entry);
    this.connection.send({ type: "say", text: entry.text, clientMessageId: entry.clientMessageId });
    this.emit();
    return true;
  }

  /** Another tab changed the shared outbox. */
  refresh(): void {
    this.emit();
  }

  get connectionControl(): Pick<Connection, "setOnline" | "setVisible"> {
    return this.connection;
  }

  private opened(): void {
    this.connection.send({ type: "hello", since: this.timeline.lastSeq });
    this.flush();
  }

  private flush(): void {
    for (const entry of this.state.pending) {
      this.connection.send({ type: "say", text: entry.text, clientMessageId: entry.clientMessageId });
    }
  }

  private received(frame: ServerFrame): void {
    if (frame.type === "voice") {
      for (const listener of this.voiceListeners) listener(frame);
      return;
    }
    if (frame.type === "message") this.message(frame);
    else if (frame.type === "delta") {
      if (!this.streams.apply(frame)) return;
    } else if (frame.type === "typing") this.setTyping(true, frame.author?.name ?? null);
    else if (frame.type === "error") this.refused(frame);
    else return;
    this.emit();
  }

  private message(frame: MessageFrame): void {
    // A repeat still confirms its id: the first copy may have reached another tab only.
    if (frame.clientMessageId) {
      this.outbox.remove(frame.clientMessageId);
      this.refusals = 0;
    }
    // Whoever was typing has spoken (bot or agent), or a system line says the agent left.
    if (!this.timeline.accept(frame) || frame.role === "user") return;
    this.setTyping(false);
    // The committed reply replaces the streamed one, whose text it may not match.
    if (frame.role === "bot") this.streams.answered(frame.seq);
  }

  private refused(frame: ErrorFrame): void {
    const id = frame.clientMessageId;
    if (!id) return;
    this.streams.refused(id);
    if (RETRYABLE.has(frame.code)) {
      clearTimeout(this.retryTimer);
      const delay = RETRY_REFUSED_MIN_MS + backoffDelay(this.refusals++, RETRY_REFUSED_BACKOFF);
      this.retryTimer = setTimeout(() => this.flush(), delay);
      return;
    }
    const entry = this.outbox.list().find((candidate) => candidate.clientMessageId === id);
    if (!entry) return;
    this.outbox.remove(id);
    this.failed = [...this.failed, { clientMessageId: id, text: entry.text, reason: frame.message }];
  }

  private setTyping(typing: boolean, agent: string | null = null): void {
    clearTimeout(this.typingTimer);
    this.typing = typing;
    this.typingAgent = typing ? agent : null;
    if (typing) {
      this.typingTimer = setTimeout(
        () => {
          this.typing = false;
          this.typingAgent = null;
          this.emit();
        },
        agent === null ? TYPING_TIMEOUT_MS : AGENT_TYPING_TIMEOUT_MS,
      );
    }
  }

  private emit(): void {
    const state = this.state;
    for (const listener of this.listeners) listener(state);
  }
}
