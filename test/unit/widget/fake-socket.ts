import type { SocketFactory, SocketHandlers, SocketLike } from "../../../widget/core/connection.js";

/** A WebSocket stand-in the test drives by hand: open it, feed it frames, close it. */
export class FakeSocket implements SocketLike {
  readonly sent: string[] = [];
  closedWith: { code?: number; reason?: string } | null = null;

  constructor(
    readonly url: string,
    readonly protocols: string[],
    private readonly handlers: SocketHandlers,
  ) {}

  send(data: string): void {
    this.sent.push(data);
  }

  close(code?: number, reason?: string): void {
    this.closedWith = { ...(code === undefined ? {} : { code }), ...(reason === undefined ? {} : { reason }) };
  }

  /** Frames sent so far, parsed, pings left out. */
  frames(): Array<Record<string, unknown>> {
    return this.sent.map((data) => JSON.parse(data) as Record<string, unknown>).filter((frame) => frame["type"] !== "ping");
  }

  open(): void {
    this.handlers.open();
  }

  receive(frame: unknown): void {
    this.handlers.message(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  serverClose(code: number, reason = ""): void {
    this.handlers.close(code, reason);
  }
}

export function socketFactory(): { sockets: FakeSocket[]; open: SocketFactory } {
  const sockets: FakeSocket[] = [];
  return {
    sockets,
    open: (url, protocols, handlers) => {
      const socket = new FakeSocket(url, protocols, handlers);
      sockets.push(socket);
      return socket;
    },
  };
}

/** Lets pending promise callbacks (the token fetch) run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}
