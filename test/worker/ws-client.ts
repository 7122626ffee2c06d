import { exports } from "cloudflare:workers";
import { expect } from "vitest";
import type { ServerFrame } from "../../src/protocol/frames.js";
import { BASE } from "./helpers.js";

export interface Closed {
  code: number;
  reason: string;
}

/** A test's end of a `/v1/ws` socket: every frame it got, and ways to wait for more. */
export class TestSocket {
  readonly frames: ServerFrame[] = [];
  readonly closed: Promise<Closed>;

  constructor(readonly ws: WebSocket) {
    this.closed = new Promise((resolve) => ws.addEventListener("close", (event) => resolve({ code: event.code, reason: event.reason })));
    ws.addEventListener("message", (event) => {
      this.frames.push(JSON.parse(String(event.data)) as ServerFrame);
    });
    ws.accept();
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  /** Message frames only, in arrival order. */
  messages() {
    return this.frames.flatMap((frame) => (frame.type === "message" ? [frame] : []));
  }

  /** Waits until `done` holds over the frames so far. */
  async until(done: (frames: ServerFrame[]) => boolean, what = "frames", timeoutMs = 5_000): Promise<ServerFrame[]> {
    const deadline = Date.now() + timeoutMs;
    while (!done(this.frames)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.frames)}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return this.frames;
  }

  untilMessages(count: number): Promise<ServerFrame[]> {
    return this.until(() => this.messages().length >= count, `${count} messages`);
  }

  /** Resolves after `ms` with no new frame: proof that nothing more is coming. */
  async quiet(ms = 150): Promise<void> {
    let seen = -1;
    while (seen !== this.frames.length) {
      seen = this.frames.length;
      await new Promise((resolve) => setTimeout(resolve, ms));
    }
  }

  close(): void {
    this.ws.close(1000, "test done");
  }
}

export function upgradeRequest(headers: Record<string, string> = {}): Request {
  return new Request(`${BASE}/v1/ws`, { headers: { upgrade: "websocket", ...headers } });
}

/** Opens `/v1/ws` through the gateway with the token in the subprotocol, as the widget does. */
export async function openSocket(token: string, headers: Record<string, string> = {}): Promise<TestSocket> {
  const response = await exports.default.fetch(upgradeRequest({ "sec-websocket-protocol": `parley.v1, bearer.${token}`, ...headers }));
  expect(response.status).toBe(101);
  expect(response.headers.get("sec-websocket-protocol")).toBe("parley.v1");
  if (!response.webSocket) throw new Error("no webSocket on the 101 answer");
  return new TestSocket(response.webSocket);
}

/** Opens a socket and says hello; resolves once the replay has arrived (`expected` messages). */
export async function liveSocket(token: string, since = 0, expected = 0): Promise<TestSocket> {
  const socket = await openSocket(token);
  socket.send({ type: "hello", since });
  if (expected > 0) await socket.untilMessages(expected);
  return socket;
}
