import type { ClientFrame, ServerFrame } from "../../src/protocol/frames.js";
import { PING_FRAME, WS_BEARER_PREFIX, WS_CLOSE, WS_SUBPROTOCOL, isTerminalCloseCode } from "../../src/protocol/ws.js";
import type { BackoffPolicy } from "./backoff.js";
import { DEFAULT_BACKOFF, backoffDelay } from "./backoff.js";
import { readServerFrame } from "./server-frames.js";

export interface SocketHandlers {
  open(): void;
  message(data: unknown): void;
  close(code: number, reason: string): void;
}

export interface SocketLike {
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** Opens a WebSocket; injected so the reconnect logic runs (and is tested) without a browser. */
export type SocketFactory = (url: string, protocols: string[], handlers: SocketHandlers) => SocketLike;

/**
 * idle: not started · connecting: token or handshake under way · open: live ·
 * waiting: backing off before the next try · offline: the browser says there is no network ·
 * ended: the server refused the credentials (4xxx close), nothing more will be tried.
 */
export type ConnectionStatus = "idle" | "connecting" | "open" | "waiting" | "offline" | "ended";

export interface ConnectionOptions {
  url: string;
  token: () => Promise<string>;
  openSocket: SocketFactory;
  backoff?: BackoffPolicy;
  /** Ping period; a socket silent for two periods is presumed dead and replaced. */
  heartbeatMs?: number;
  random?: () => number;
  onOpen: () => void;
  onFrame: (frame: ServerFrame) => void;
  onStatus: (status: ConnectionStatus) => void;
  onEnded?: (code: number, reason: string) => void;
  /** The conversation was erased (close 4205): forget what is shown; the next hello is from 0. */
  onReset?: () => void;
}

export const DEFAULT_HEARTBEAT_MS = 25_000;

/**
 * One WebSocket that keeps itself connected: exponential backoff with full jitter between
 * tries, no tries while the browser is offline, an immediate try when it comes back online
 * or the tab becomes visible, and a heartbeat that replaces a silently dead socket.
 */
export class Connection {
  private socket: SocketLike | null = null;
  private status: ConnectionStatus = "idle";
  private attempt = 0;
  /** Bumped for every socket: events of a replaced socket are ignored. */
  private generation = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private heartbeatTimer: ReturnType<typeof setInterval> | undefined;
  private lastHeard = 0;
  private online = true;
  private stopped = true;

  constructor(private readonly options: ConnectionOptions) {}

  get state(): ConnectionStatus {
    return this.status;
  }

  start(): void {
    this.stopped = false;
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.drop(1000, "client closed");
    this.setStatus("idle");
  }

  /** Sends a frame if the socket is open; returns whether it was sent. */
  send(frame: ClientFrame): boolean {
    if (this.status !== "open" || !this.socket) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  /** The browser's `online`/`offline` events. */
  setOnline(online: boolean): void {
    this.online = online;
    if (!online) {
      this.drop(1000, "offline");
      if (this.status !== "ended" && !this.stopped) this.setStatus("offline");
    } else {
      this.reconnectNow();
    }
  }

  /** The tab became visible: a sleeping laptop may have left a dead socket or a long backoff. */
  setVisible(visible: boolean): void {
    if (!visible) return;
    if (this.status === "open") this.ping();
    else this.reconnectNow();
  }

  private reconnectNow(): void {
    if (this.stopped || this.status === "ended" || this.status === "open" || this.status === "connecting") return;
    this.attempt = 0;
    void this.connect();
  }

  private async connect(): Promise<void> {
    if (this.stopped || this.status === "ended" || this.socket) return;
    if (!this.online) return this.setStatus("offline");
    clearTimeout(this.retryTimer);
    const generation = ++this.generation;
    this.setStatus("connecting");
    let token: string;
    try {
      token = await this.options.token();
    } catch {
      if (generation === this.generation) this.retryLater();
      return;
    }
    if (generation !== this.generation || this.stopped) return;
    try {
      this.socket = this.options.openSocket(this.options.url, [WS_SUBPROTOCOL, WS_BEARER_PREFIX + token], {
        open: () => generation === this.generation && this.opened(),
        message: (data) => generation === this.generation && this.received(data),
        close: (code, reason) => generation === this.generation && this.closed(code, reason),
      });
    } catch {
      this.retryLater();
    }
  }

  private opened(): void {
    this.lastHeard = Date.now();
    this.setStatus("open");
    this.options.onOpen();
    // The pong proves the whole path works; only then is the backoff reset (see received).
    this.ping();
    const period = this.options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
    this.heartbeatTimer = setInterval(() => this.beat(period), period);
  }

  private received(data: unknown): void {
    this.lastHeard = Date.now();
    this.attempt = 0;
    const frame = readServerFrame(data);
    if (frame) this.options.onFrame(frame);
  }

  private closed(code: number, reason: string): void {
    this.drop();
    if (isTerminalCloseCode(code)) {
      this.setStatus("ended");
      this.options.onEnded?.(code, reason);
      return;
    }
    if (code === WS_CLOSE.reset) {
      this.options.onReset?.();
      this.attempt = 0;
      void this.connect();
      return;
    }
    this.retryLater();
  }

  private beat(period: number): void {
    if (Date.now() - this.lastHeard > 2 * period) {
      this.drop(4000, "heartbeat timeout");
      this.retryLater();
    } else {
      this.ping();
    }
  }

  private ping(): void {
    this.socket?.send(PING_FRAME);
  }

  private retryLater(): void {
    if (this.stopped || this.status === "ended") return;
    if (!this.online) return this.setStatus("offline");
    const delay = backoffDelay(this.attempt++, this.options.backoff ?? DEFAULT_BACKOFF, this.options.random);
    this.setStatus("waiting");
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.connect(), delay);
  }

  /** Forgets the current socket (closing it if asked) so its late events change nothing. */
  private drop(code?: number, reason?: string): void {
    this.generation++;
    clearInterval(this.heartbeatTimer);
    clearTimeout(this.retryTimer);
    const socket = this.socket;
    this.socket = null;
    if (socket && code !== undefined) {
      try {
        socket.close(code, reason);
      } catch {
        // Already closing: nothing to do.
      }
    }
  }

  private setStatus(status: ConnectionStatus): void {
    if (this.status === status) return;
    this.status = status;
    this.options.onStatus(status);
  }
}
