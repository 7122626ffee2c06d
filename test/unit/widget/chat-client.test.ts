import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { RETRY_REFUSED_BACKOFF, RETRY_REFUSED_MIN_MS, TYPING_TIMEOUT_MS } from "../../../widget/core/chat-client.js";
import { Outbox } from "../../../widget/core/outbox.js";
import { memoryStore } from "../../../widget/core/storage.js";
import { OUTBOX, connected, setup } from "./chat-harness.js";
import type { FakeSocket } from "./fake-socket.js";
import { settle } from "./fake-socket.js";

const says = (socket: FakeSocket) => socket.frames().filter((frame) => frame["type"] === "say");

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("ChatClient", () => {
  it("says hello from seq 0 on a fresh page", async () => {
    const { client, sockets } = setup();
    const socket = await connected(client, sockets);
    expect(socket.frames()).toEqual([{ type: "hello", since: 0 }]);
  });

  it("resumes from the last seq shown after a reconnect", async () => {
    const { client, sockets } = setup();
    const first = await connected(client, sockets);
    first.receive({ type: "message", seq: 1, role: "user", text: "hi", at: 1 });
    first.receive({ type: "message", seq: 3, role: "bot", text: "hello", at: 2 });
    first.serverClose(1006);
    await vi.advanceTimersByTimeAsync(1);
    sockets[1]?.open();
    expect(sockets[1]?.frames()[0]).toEqual({ type: "hello", since: 3 });
  });

  it("shows a sent message as pending until the server echoes its id", async () => {
    const { client, sockets } = setup();
    const socket = await connected(client, sockets);
    client.send("  where is my order?  ");
    const [say] = says(socket);
    expect(say).toMatchObject({ type: "say", text: "where is my order?" });
    const id = String(say?.["clientMessageId"]);
    expect(id).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect(client.state.pending.map((entry) => entry.clientMessageId)).toEqual([id]);
    socket.receive({ type: "message", seq: 1, role: "user", text: "where is my order?", at: 1, clientMessageId: id });
    expect(client.state.pending).toEqual([]);
    expect(client.state.messages).toHaveLength(1);
  });

  it("refuses blank text", async () => {
    const { client, sockets } = setup();
    const socket = await connected(client, sockets);
    expect(client.send("   \n ")).toBe(false);
    expect(says(socket)).toEqual([]);
  });

  it("keeps messages typed offline and sends them, under their first id, when connected", async () => {
    const store = memoryStore();
    const { client, sockets } = setup(store);
    client.start();
    await settle();
    client.send("typed while offline");
    expect(sockets[0]?.sent).toEqual([]);
    const [entry] = new Outbox(store, OUTBOX).list();
    sockets[0]?.open();
    expect(sockets[0]?.frames()).toEqual([
      { type: "hello", since: 0 },
      { type: "say", text: "typed while offline", clientMessageId: entry?.clientMessageId },
    ]);
  });

  it("offers an unconfirmed message again after a reconnect, with the same id (the server dedupes)", async () => {
    const { client, sockets } = setup();
    const first = await connected(client, sockets);
    client.send("hello?");
    const id = says(first)[0]?.["clientMessageId"];
    first.serverClose(1006);
    await vi.advanceTimersByTimeAsync(1);
    sockets[1]?.open();
    expect(says(sockets[1] as FakeSocket)).toEqual([{ type: "say", text: "hello?", clientMessageId: id }]);
  });

  it("a message confirmed by the replay is not offered again", async () => {
    const { client, sockets } = setup();
    const first = await connected(client, sockets);
    client.send("hello?");
    const id = String(says(first)[0]?.["clientMessageId"]);
    first.receive({ type: "message", seq: 1, role: "user", text: "hello?", at: 1, clientMessageId: id });
    first.serverClose(1006);
    await vi.advanceTimersByTimeAsync(1);
    sockets[1]?.open();
    expect(says(sockets[1] as FakeSocket)).toEqual([]);
  });

  it("a reload finds the outbox in storage and delivers it", async () => {
    const store = memoryStore();
    const before = setup(store);
    before.client.start();
    await settle();
    before.client.send("survives a reload");
    before.client.stop();
    const after = setup(store);
    const socket = await connected(after.client, after.sockets);
    expect(says(socket).map((frame) => frame["text"])).toEqual(["survives a reload"]);
  });

  it("shows typing until the bot's message, or until the timeout", async () => {
    const { client, sockets } = setup();
    const socket = await connected(client, sockets);
    socket.receive({ type: "typing" });
    expect(client.state.typing).toBe(true);
    socket.receive({ type: "message", seq: 2, role: "bot", text: "done", at: 1, quickReplies: ["A"] });
    expect(client.state.typing).toBe(false);
    expect(client.state.quickReplies).toEqual(["A"]);
    socket.receive({ type: "typing" });
    await vi.advanceTimersByTimeAsync(TYPING_TIMEOUT_MS);
    expect(client.state.typing).toBe(false);
  });

  it("drops a message the server refuses as invalid and reports it", async () => {
    const { client, sockets } = setup();
    const socket = await connected(client, sockets);
    client.send("bad");
    const id = String(says(socket)[0]?.["clientMessageId"]);
    socket.receive({ type: "error", code: "invalid_request", message: "text: too long", clientMessageId: id });
    expect(client.state.pending).toEqual([]);
    expect(client.state.failed).toEqual([{ clientMessageId: id, text: "bad", reason: "text: too long" }]);
  });

  it("offers a rate-limited message again later", async () => {
    const { client, sockets } = setup();
    const socket = await connected(client, sockets);
    client.send("slow down");
    const id = String(says(socket)[0]?.["clientMessageId"]);
    socket.receive({ type: "error", code: "rate_limited", message: "too many messages", clientMessageId: id });
    expect(client.state.pending).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(RETRY_REFUSED_MIN_MS - 1);
    expect(says(socket)).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(RETRY_REFUSED_BACKOFF.baseMs);
    expect(says(socket).map((frame) => frame["clientMessageId"])).toEqual([id, id]);
  });

  it("backs off further with each refusal in a row, always under the same id, until the message is through", async () => {
    const random = vi.spyOn(Math, "random").mockReturnValue(0.999);
    const { client, sockets } = setup();
    const socket = await connected(client, sockets);
    client.send("busy day");
    const id = String(says(socket)[0]?.["clientMessageId"]);
    for (const [attempt, ceiling] of [
      [1, RETRY_REFUSED_BACKOFF.baseMs],
      [2, RETRY_REFUSED_BACKOFF.baseMs * 2],
      [3, RETRY_REFUSED_BACKOFF.baseMs * 4],
    ] as const) {
      socket.receive({ type: "error", code: "unavailable", message: "busy for a moment", clientMessageId: id });
      await vi.advanceTimersByTimeAsync(RETRY_REFUSED_MIN_MS + ceiling / 2);
      expect(says(socket), `retry ${attempt} waits longer than half its ceiling`).toHaveLength(attempt);
      await vi.advanceTimersByTimeAsync(ceiling / 2);
      expect(says(socket)).toHaveLength(attempt + 1);
    }
    expect(new Set(says(socket).map((frame) => frame["clientMessageId"]))).toEqual(new Set([id]));
    socket.receive({ type: "message", seq: 1, role: "user", text: "busy day", at: 1, clientMessageId: id });
    expect(client.state.pending).toEqual([]);
    random.mockRestore();
  });

  it("notifies subscribers of every change", async () => {
    const { client, sockets } = setup();
    const seen = vi.fn();
    client.subscribe(seen);
    const socket = await connected(client, sockets);
    socket.receive({ type: "message", seq: 1, role: "bot", text: "hi", at: 1 });
    expect(seen).toHaveBeenLastCalledWith(expect.objectContaining({ status: "open", messages: [expect.objectContaining({ text: "hi" })] }));
  });

  it("hands voice frames to their listeners and leaves the chat as it is", async () => {
    const { client, sockets } = setup();
    const voice = vi.fn();
    const chat = vi.fn();
    const stop = client.onVoice(voice);
    client.subscribe(chat);
    const socket = await connected(client, sockets);
    chat.mockClear();
    const frame = { type: "voice", jobId: "j1", status: "transcribing" };
    socket.receive(frame);
    expect(voice).toHaveBeenCalledWith(frame);
    expect(chat).not.toHaveBeenCalled();
    stop();
    socket.receive({ ...frame, status: "done" });
    expect(voice).toHaveBeenCalledTimes(1);
  });
});

describe("ChatClient after the conversation is erased", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("forgets what it showed and says hello from 0 at once (close 4205)", async () => {
    const { client, sockets } = setup();
    const socket = await connected(client, sockets);
    socket.receive({ type: "message", seq: 5, role: "bot", text: "old", at: 1 });
    socket.serverClose(4205, "conversation erased");
    expect(client.state.messages).toEqual([]);
    await settle();
    sockets[1]?.open();
    expect(sockets[1]?.frames()[0]).toEqual({ type: "hello", since: 0 });
  });
});
