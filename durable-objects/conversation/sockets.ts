import { logEvent } from "../../platform/log.js";
import { TRANSIENT_MESSAGE, runtimeFailureOf } from "../../platform/runtime-errors.js";
import type { StoredEvent } from "../../src/conversation/events.js";
import { messageViewOf } from "../../src/conversation/message-view.js";
import type { Refusal } from "../../src/protocol/errors.js";
import { isRefusal } from "../../src/protocol/errors.js";
import type { DeltaFrame, ErrorFrame, MessageFrame, SayFrame, ServerFrame } from "../../src/protocol/frames.js";
import { PING_FRAME, PONG_FRAME, WS_CLOSE, WS_SUBPROTOCOL, parseClientFrame } from "../../src/protocol/frames.js";
import type { TurnResult } from "../../src/protocol/messages.js";
import { isTokenExpired } from "../../src/security/token-time.js";

/** A turn that has not answered by then gets a `typing` frame first. */
export const TYPING_DELAY_MS = 300;

/** Headers the gateway sets on the upgrade it forwards: who the verified token speaks for. */
export const SOCKET_USER_HEADER = "x-parley-user";
export const SOCKET_EXPIRES_HEADER = "x-parley-token-expires";

/**
 * What each socket carries through hibernation (`serializeAttachment`, at most 16 KB):
 * the actor's memory is gone when it wakes for a frame, the attachment is not.
 */
export interface SocketAttachment {
  userId: string;
  /** epoch ms: the token's `exp`; the first frame once REST would refuse the token (isTokenExpired) closes the socket with 4401 */
  expiresAt: number;
  /** The last seq this socket has been sent; null until its `hello`, and nothing is pushed before. */
  lastSeq: number | null;
}

/** What the sockets need from their actor. */
export interface SocketHost {
  turn(request: { text: string; clientMessageId: string }): Promise<TurnResult | Refusal>;
  eventsAfter(seq: number): Iterable<StoredEvent>;
  currentSeq(): number;
  /** Replies being generated: a socket saying hello gets the text so far, then the rest as it comes. */
  liveReplies?(): DeltaFrame[];
  /** The user's pseudonym, for log lines. */
  pseudonym(): Promise<string>;
  /** A socket was accepted or closed (the open-WebSockets metric). */
  socketChanged?(change: "opened" | "closed"): void;
}

/**
 * The actor's WebSockets, on the Hibernation API: `ctx.acceptWebSocket` instead of
 * `accept()`, per-socket state in attachments, and pings answered by the runtime
 * (`setWebSocketAutoResponse`) without waking the actor. An idle conversation costs nothing
 * and its sockets outlive the actor's eviction.
 */
export class ConversationSockets {
  constructor(
    private readonly ctx: DurableObjectState,
    private readonly host: SocketHost,
    private readonly now: () => number = Date.now,
  ) {
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING_FRAME, PONG_FRAME));
  }

  /** Accepts the upgrade the gateway authenticated. */
  accept(request: Request): Response {
    const userId = request.headers.get(SOCKET_USER_HEADER);
    const expiresAt = Number(request.headers.get(SOCKET_EXPIRES_HEADER));
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket" || !userId || !Number.isFinite(expiresAt)) {
      return new Response("expected a WebSocket upgrade from the gateway", { status: 400 });
    }
    const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
    this.ctx.acceptWebSocket(server);
    const attachment: SocketAttachment = { userId, expiresAt, lastSeq: null };
    server.serializeAttachment(attachment);
    this.host.socketChanged?.("opened");
    return new Response(null, { status: 101, webSocket: client, headers: subprotocolHeaders(request) });
  }

  /** One frame from a client. A bad frame gets an `error` frame; the socket stays open. */
  async message(ws: WebSocket, raw: string | ArrayBuffer): Promise<void> {
    const attachment = attachmentOf(ws);
    if (!attachment) return closeQuietly(ws, 1011, "socket state lost");
    if (this.closeIfExpired(ws, attachment)) return;
    const parsed = parseClientFrame(raw);
    if (!parsed.ok) return send(ws, parsed.error);
    const frame = parsed.frame;
    if (frame.type === "ping") return send(ws, { type: "pong" });
    if (frame.type === "hello") return this.hello(ws, attachment, frame.since);
    await this.say(ws, attachment, frame);
  }

  /** Pushes a committed turn's messages to every live socket of the user. */
  broadcast(events: readonly StoredEvent[]): void {
    const frames = events.map(messageFrameOf).filter((frame): frame is MessageFrame => frame !== null);
    if (frames.length === 0) return;
    for (const ws of this.ctx.getWebSockets()) {
      const attachment = attachmentOf(ws);
      if (!attachment || attachment.lastSeq === null || this.closeIfExpired(ws, attachment)) continue;
      const fresh = frames.filter((frame) => frame.seq > (attachment.lastSeq ?? 0));
      for (const frame of fresh) send(ws, frame);
      const last = fresh.at(-1);
      if (last) ws.serializeAttachment({ ...attachment, lastSeq: last.seq });
    }
  }

  /** Sends a frame that has no seq (typing, voice job status) to every live socket. */
  push(frame: ServerFrame): void {
    for (const ws of this.ctx.getWebSockets()) {
      if (attachmentOf(ws)?.lastSeq !== null) send(ws, frame);
    }
  }

  /** Runs a turn; if it is slow (an action, a webhook) the user's sockets see `typing` first. */
  async typingWhile<T>(task: () => Promise<T>, delayMs = TYPING_DELAY_MS): Promise<T> {
    const timer = setTimeout(() => this.push({ type: "typing" }), delayMs);
    try {
      return await task();
    } finally {
      clearTimeout(timer);
    }
  }

  /** The conversation was erased: seqs start again, so every socket must start again too. */
  closeAll(code: number, reason: string): void {
    for (const ws of this.ctx.getWebSockets()) closeQuietly(ws, code, reason);
  }

  /**
   * The client closed: answer its close frame, or the handshake never completes (workerd does not
   * answer for a hibernatable socket) and the client reports 1006 after a timeout. Its code is
   * echoed; codes no endpoint may send (1005 "none", 1006 "abnormal") are answered with 1000.
   * Nothing else to tidy: a socket's state is its attachment, which goes with it.
   */
  closed(ws: WebSocket, code: number, reason = ""): void {
    closeQuietly(ws, echoableCloseCode(code), reason);
    this.host.socketChanged?.("closed");
    if (code === 1011) void this.host.pseudonym().then((user) => logEvent("warn", "socket closed on an error", { user }));
  }

  /** Replays every message after `since`, then the socket is live: no gap, no repeat. */
  private hello(ws: WebSocket, attachment: SocketAttachment, since: number): void {
    // Synchronous from the first read to the attachment write: no turn can commit in
    // between, so a frame is either in this replay or in a later broadcast, never both.
    for (const stored of this.host.eventsAfter(since)) {
      const frame = messageFrameOf(stored);
      if (frame) send(ws, frame);
    }
    ws.serializeAttachment({ ...attachment, lastSeq: this.host.currentSeq() });
    for (const frame of this.host.liveReplies?.() ?? []) send(ws, frame);
  }

  /** Runs a turn exactly as `POST /v1/messages` does; its messages arrive by {@link broadcast}. */
  private async say(ws: WebSocket, attachment: SocketAttachment, frame: SayFrame): Promise<void> {
    if (attachment.lastSeq === null) {
      return send(ws, { type: "error", code: "invalid_request", message: "send hello before say", clientMessageId: frame.clientMessageId });
    }
    try {
      const answer = await this.host.turn({ text: frame.text, clientMessageId: frame.clientMessageId });
      if (isRefusal(answer)) send(ws, { type: "error", code: answer.refused.code, message: answer.refused.message, clientMessageId: frame.clientMessageId });
    } catch (error) {
      send(ws, errorFrameOf(error, frame.clientMessageId));
    }
  }

  /** The same rule as the gateway's (token-time.ts): a token REST accepts keeps its socket open. */
  private closeIfExpired(ws: WebSocket, attachment: SocketAttachment): boolean {
    if (!isTokenExpired(attachment.expiresAt, this.now())) return false;
    closeQuietly(ws, WS_CLOSE.unauthorized, "token expired");
    return true;
  }
}

/** A committed message as its socket frame: the same view history shows (message-view.ts). */
export function messageFrameOf(stored: StoredEvent): MessageFrame | null {
  const view = messageViewOf(stored);
  return view && { type: "message", ...view };
}

function errorFrameOf(error: unknown, clientMessageId: string): ErrorFrame {
  const failure = runtimeFailureOf(error);
  if (failure) {
    logEvent(failure === "internal" ? "error" : "warn", "socket turn met a runtime failure", { failure, error: String(error) });
    return { type: "error", code: "unavailable", message: TRANSIENT_MESSAGE, clientMessageId };
  }
  logEvent("error", "socket turn failed", { error: String(error) });
  return { type: "error", code: "internal", message: "something went wrong; send the message again", clientMessageId };
}

/** Names parley.v1 in the handshake only if the client offered it (a bare client offers none). */
export function subprotocolHeaders(request: Request): HeadersInit {
  const offered =
    request.headers
      .get("sec-websocket-protocol")
      ?.split(",")
      .map((protocol) => protocol.trim()) ?? [];
  return offered.includes(WS_SUBPROTOCOL) ? { "sec-websocket-protocol": WS_SUBPROTOCOL } : {};
}

function attachmentOf(ws: WebSocket): SocketAttachment | null {
  const value: unknown = ws.deserializeAttachment();
  if (typeof value !== "object" || value === null) return null;
  const attachment = value as Partial<SocketAttachment>;
  return typeof attachment.userId === "string" && typeof attachment.expiresAt === "number" ? (value as SocketAttachment) : null;
}

function send(ws: WebSocket, frame: ServerFrame): void {
  try {
    ws.send(JSON.stringify(frame));
  } catch {
    // The socket closed under us; its close event tidies up.
  }
}

/** A close code one may send back: the client's own, except the ones that only describe a close (1005, 1006, 1015) or are reserved. */
export function echoableCloseCode(code: number): number {
  const sendable = code === 1000 || (code >= 1001 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
  return sendable ? code : 1000;
}

function closeQuietly(ws: WebSocket, code: number, reason: string): void {
  try {
    ws.close(code, reason);
  } catch {
    // Already closed.
  }
}
