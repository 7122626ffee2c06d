// @ts-check
// One queue's live channel: GET /v1/agent/ws?bot=&queue= with the token in the subprotocol
// (`parley.v1`, `bearer.<JWT>`). It reconnects by itself with backoff, and says when it is live,
// reconnecting, or refused for good (a 44xx close: the token is no longer accepted).

/** @typedef {"connecting" | "live" | "reconnecting" | "signed-out"} SocketStatus */

const SUBPROTOCOL = "parley.v1";
const BEARER = "bearer.";
const PING = '{"type":"ping"}';
const PING_MS = 25_000;
const MAX_DELAY_MS = 30_000;

/**
 * The wait before reconnect attempt `attempt` (0-based): doubling from 1 s up to 30 s, with
 * jitter so that agents dropped together do not come back together.
 * @param {number} attempt
 * @param {number} random in [0, 1)
 */
export function reconnectDelay(attempt, random) {
  const base = Math.min(MAX_DELAY_MS, 1000 * 2 ** Math.min(attempt, 10));
  return Math.round(base * (0.5 + random / 2));
}

export class QueueSocket {
  /**
   * @param {{ bot: string, queue: string, token: () => string | null,
   *   onOpen: () => void, onFrame: (frame: Record<string, unknown>) => void,
   *   onStatus: (status: SocketStatus, detail: string) => void }} options
   */
  constructor(options) {
    this.options = options;
    /** @type {WebSocket | null} */
    this.socket = null;
    this.attempt = 0;
    this.stopped = true;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.retryTimer = undefined;
    /** @type {ReturnType<typeof setInterval> | undefined} */
    this.pingTimer = undefined;
    this.onOnline = () => this.reconnectNow();
  }

  start() {
    if (!this.stopped) return;
    this.stopped = false;
    window.addEventListener("online", this.onOnline);
    this.connect();
  }

  stop() {
    this.stopped = true;
    window.removeEventListener("online", this.onOnline);
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    const socket = this.socket;
    this.socket = null;
    socket?.close(1000, "page closed the queue");
  }

  get live() {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  /**
   * Sends a frame if the socket is open; returns whether it went.
   * @param {Record<string, unknown>} frame
   */
  send(frame) {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  /** The network came back: try at once instead of waiting out the backoff. */
  reconnectNow() {
    if (this.stopped || this.live) return;
    clearTimeout(this.retryTimer);
    this.connect();
  }

  connect() {
    const token = this.options.token();
    if (!token) return this.options.onStatus("signed-out", "no token");
    const { bot, queue } = this.options;
    const url = `${location.origin.replace(/^http/, "ws")}/v1/agent/ws?bot=${encodeURIComponent(bot)}&queue=${encodeURIComponent(queue)}`;
    this.options.onStatus(this.attempt === 0 ? "connecting" : "reconnecting", "");
    let socket;
    try {
      socket = new WebSocket(url, [SUBPROTOCOL, `${BEARER}${token}`]);
    } catch (error) {
      // A URL or subprotocol the browser refuses (a token it cannot carry): try again later.
      this.options.onStatus("reconnecting", error instanceof Error ? error.message : String(error));
      this.retryTimer = setTimeout(() => this.connect(), reconnectDelay(this.attempt++, Math.random()));
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.options.onStatus("live", "");
      clearInterval(this.pingTimer);
      this.pingTimer = setInterval(() => socket.readyState === WebSocket.OPEN && socket.send(PING), PING_MS);
      this.options.onOpen();
    };
    socket.onmessage = (event) => this.received(event.data);
    socket.onclose = (event) => this.closed(socket, event.code, event.reason);
  }

  /** @param {unknown} data */
  received(data) {
    if (typeof data !== "string") return;
    let frame;
    try {
      frame = JSON.parse(data);
    } catch {
      return;
    }
    if (typeof frame !== "object" || frame === null || typeof frame.type !== "string" || frame.type === "pong") return;
    this.attempt = 0;
    this.options.onFrame(frame);
  }

  /**
   * @param {WebSocket} socket
   * @param {number} code
   * @param {string} reason
   */
  closed(socket, code, reason) {
    if (socket !== this.socket) return;
    clearInterval(this.pingTimer);
    this.socket = null;
    if (this.stopped) return;
    if (code >= 4400 && code <= 4499) {
      this.stopped = true;
      this.options.onStatus("signed-out", reason || `closed with ${code}`);
      return;
    }
    this.options.onStatus("reconnecting", "");
    this.retryTimer = setTimeout(() => this.connect(), reconnectDelay(this.attempt++, Math.random()));
  }
}
