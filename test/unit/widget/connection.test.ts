import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ServerFrame } from "../../../src/protocol/frames.js";
import type { ConnectionOptions, ConnectionStatus } from "../../../widget/core/connection.js";
import { Connection } from "../../../widget/core/connection.js";
import { settle, socketFactory } from "./fake-socket.js";

function setup(overrides: Partial<ConnectionOptions> = {}) {
  const factory = socketFactory();
  const statuses: ConnectionStatus[] = [];
  const frames: ServerFrame[] = [];
  const opened = vi.fn();
  const ended = vi.fn();
  const connection = new Connection({
    url: "ws://parley.test/v1/ws",
    token: async () => "jwt-token",
    openSocket: factory.open,
    backoff: { baseMs: 1_000, maxMs: 8_000 },
    heartbeatMs: 10_000,
    // The top of every jitter window: the longest each wait can be.
    random: () => 0.999_999,
    onOpen: opened,
    onFrame: (frame) => frames.push(frame),
    onStatus: (status) => statuses.push(status),
    onEnded: ended,
    ...overrides,
  });
  return { connection, sockets: factory.sockets, statuses, frames, opened, ended };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("Connection", () => {
  it("connects with the parley.v1 subprotocol and the token as bearer.<JWT>", async () => {
    const { connection, sockets, opened } = setup();
    connection.start();
    await settle();
    expect(sockets).toHaveLength(1);
    expect(sockets[0]?.url).toBe("ws://parley.test/v1/ws");
    expect(sockets[0]?.protocols).toEqual(["parley.v1", "bearer.jwt-token"]);
    sockets[0]?.open();
    expect(opened).toHaveBeenCalledOnce();
    expect(connection.state).toBe("open");
    expect(sockets[0]?.sent).toEqual(['{"type":"ping"}']);
  });

  it("delivers well-formed server frames and drops malformed ones", async () => {
    const { connection, sockets, frames } = setup();
    connection.start();
    await settle();
    sockets[0]?.open();
    sockets[0]?.receive({ type: "message", seq: 1, role: "bot", text: "hi", at: 5 });
    sockets[0]?.receive("not json");
    sockets[0]?.receive({ type: "message", seq: "1", role: "bot", text: "hi", at: 5 });
    sockets[0]?.receive({ type: "surprise" });
    sockets[0]?.receive({ type: "typing" });
    expect(frames.map((frame) => frame.type)).toEqual(["message", "typing"]);
  });

  it("reconnects after a drop with growing, capped, jittered waits", async () => {
    const { connection, sockets } = setup();
    connection.start();
    await settle();
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      const before = sockets.length;
      sockets.at(-1)?.serverClose(1006);
      const started = Date.now();
      while (sockets.length === before) {
        await vi.advanceTimersByTimeAsync(100);
      }
      waits.push(Date.now() - started);
    }
    // Ceilings 1 s, 2 s, 4 s, 8 s, 8 s; the draw is at the top of each window.
    expect(waits).toEqual([1_000, 2_000, 4_000, 8_000, 8_000]);
  });

  it("resets the backoff once the server answers on a new socket", async () => {
    const { connection, sockets } = setup();
    connection.start();
    await settle();
    sockets[0]?.serverClose(1006);
    await vi.advanceTimersByTimeAsync(1_000);
    sockets[1]?.serverClose(1006);
    await vi.advanceTimersByTimeAsync(2_000);
    sockets[2]?.open();
    sockets[2]?.receive({ type: "pong" });
    sockets[2]?.serverClose(1006);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sockets).toHaveLength(4);
  });

  it("stops for good on a 4xxx close: the credentials were refused", async () => {
    const { connection, sockets, ended, statuses } = setup();
    connection.start();
    await settle();
    sockets[0]?.open();
    sockets[0]?.serverClose(4401, "token expired");
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sockets).toHaveLength(1);
    expect(ended).toHaveBeenCalledWith(4401, "token expired");
    expect(statuses.at(-1)).toBe("ended");
    connection.setOnline(true);
    connection.setVisible(true);
    await settle();
    expect(sockets).toHaveLength(1);
  });

  it("waits while offline and connects at once when back online", async () => {
    const { connection, sockets, statuses } = setup();
    connection.start();
    await settle();
    sockets[0]?.open();
    connection.setOnline(false);
    expect(sockets[0]?.closedWith).toEqual({ code: 1000, reason: "offline" });
    expect(statuses.at(-1)).toBe("offline");
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sockets).toHaveLength(1);
    connection.setOnline(true);
    await settle();
    expect(sockets).toHaveLength(2);
  });

  it("skips the rest of a backoff when the tab becomes visible", async () => {
    const { connection, sockets } = setup();
    connection.start();
    await settle();
    for (let i = 0; i < 4; i++) {
      sockets.at(-1)?.serverClose(1006);
      await vi.advanceTimersByTimeAsync(8_000);
    }
    const before = sockets.length;
    sockets.at(-1)?.serverClose(1006);
    connection.setVisible(false);
    await settle();
    expect(sockets).toHaveLength(before);
    connection.setVisible(true);
    await settle();
    expect(sockets).toHaveLength(before + 1);
  });

  it("pings an open socket when the tab becomes visible", async () => {
    const { connection, sockets } = setup();
    connection.start();
    await settle();
    sockets[0]?.open();
    connection.setVisible(true);
    expect(sockets[0]?.sent.filter((data) => data === '{"type":"ping"}')).toHaveLength(2);
  });

  it("replaces a socket that stays silent for two heartbeats", async () => {
    const { connection, sockets } = setup();
    connection.start();
    await settle();
    sockets[0]?.open();
    await vi.advanceTimersByTimeAsync(10_000);
    sockets[0]?.receive({ type: "pong" });
    await vi.advanceTimersByTimeAsync(20_000);
    expect(sockets[0]?.closedWith).toBeNull();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(sockets[0]?.closedWith?.code).toBe(4000);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sockets).toHaveLength(2);
  });

  it("retries when the token cannot be had (server down at page load)", async () => {
    let calls = 0;
    const { connection, sockets } = setup({
      token: async () => {
        calls++;
        if (calls < 3) throw new Error("fetch failed");
        return "late-token";
      },
    });
    connection.start();
    await vi.advanceTimersByTimeAsync(3_000);
    expect(calls).toBe(3);
    expect(sockets[0]?.protocols).toContain("bearer.late-token");
  });

  it("ignores the events of a socket it has replaced", async () => {
    const { connection, sockets, frames } = setup();
    connection.start();
    await settle();
    sockets[0]?.open();
    connection.setOnline(false);
    connection.setOnline(true);
    await settle();
    sockets[0]?.receive({ type: "typing" });
    sockets[0]?.serverClose(1006);
    expect(frames).toEqual([]);
    expect(sockets).toHaveLength(2);
  });

  it("sends frames only while open, and stop() closes cleanly", async () => {
    const { connection, sockets } = setup();
    expect(connection.send({ type: "ping" })).toBe(false);
    connection.start();
    await settle();
    expect(connection.send({ type: "hello", since: 0 })).toBe(false);
    sockets[0]?.open();
    expect(connection.send({ type: "hello", since: 0 })).toBe(true);
    connection.stop();
    expect(sockets[0]?.closedWith).toEqual({ code: 1000, reason: "client closed" });
    expect(connection.state).toBe("idle");
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sockets).toHaveLength(1);
  });
});
