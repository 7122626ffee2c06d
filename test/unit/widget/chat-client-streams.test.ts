import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ChatState } from "../../../widget/core/chat-client.js";
import { STREAM_IDLE_MS } from "../../../widget/core/reply-streams.js";
import { connected, setup } from "./chat-harness.js";
import type { FakeSocket } from "./fake-socket.js";

/** The user's message (seq 1) as the server confirms it, and the pieces of the reply to it. */
const asked = { type: "message", seq: 1, role: "user", text: "when do you ship?", at: 1, clientMessageId: "m1" };
const delta = (offset: number, text: string, replyTo = 1) => ({ type: "delta", replyTo, clientMessageId: "m1", offset, text });
const final = (text: string, seq = 2) => ({ type: "message", seq, role: "bot", text, at: 2, botVersion: "7" });

const streamed = (state: ChatState) => state.streaming.map((reply) => reply.text);

async function asking(): Promise<{ client: ReturnType<typeof setup>["client"]; socket: FakeSocket; sockets: FakeSocket[] }> {
  const { client, sockets } = setup();
  const socket = await connected(client, sockets);
  socket.receive(asked);
  return { client, socket, sockets };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("ChatClient with a streamed reply", () => {
  it("shows the reply piece by piece, in place of the bot's typing indicator", async () => {
    const { client, socket } = await asking();
    socket.receive({ type: "typing" });
    expect(client.state.typing).toBe(true);
    socket.receive(delta(0, "We ship"));
    expect(client.state.typing).toBe(false);
    socket.receive(delta(7, " within two"));
    socket.receive(delta(18, " working days."));
    expect(client.state.streaming).toEqual([{ replyTo: 1, clientMessageId: "m1", text: "We ship within two working days." }]);
    expect(client.state.messages.map((message) => message.text)).toEqual(["when do you ship?"]);
  });

  it("keeps the typing indicator off when the typing frame comes after the first piece", async () => {
    const { client, socket } = await asking();
    socket.receive(delta(0, "We ship"));
    socket.receive({ type: "typing" });
    expect(client.state.typing).toBe(false);
  });

  it("still shows a human agent typing while a bot reply streams", async () => {
    const { client, socket } = await asking();
    socket.receive(delta(0, "We ship"));
    socket.receive({ type: "typing", author: { id: "a1", name: "Anna" } });
    expect(client.state.typing).toBe(true);
    expect(client.state.typingAgent).toBe("Anna");
  });

  it("applies a repeated or stale piece once, and tells no subscriber about it", async () => {
    const { client, socket } = await asking();
    socket.receive(delta(0, "We ship"));
    socket.receive(delta(7, " within two"));
    const seen = vi.fn();
    client.subscribe(seen);
    socket.receive(delta(7, " within two"));
    socket.receive(delta(0, "We ship"));
    expect(streamed(client.state)).toEqual(["We ship within two"]);
    expect(seen).not.toHaveBeenCalled();
  });

  it("places a piece that came out of order once the text reaches it", async () => {
    const { client, socket } = await asking();
    socket.receive(delta(0, "We ship"));
    socket.receive(delta(18, " working days."));
    expect(streamed(client.state)).toEqual(["We ship"]);
    socket.receive(delta(7, " within two"));
    expect(streamed(client.state)).toEqual(["We ship within two working days."]);
  });

  it("replaces the streamed text with the final message, which may say something else", async () => {
    const { client, socket } = await asking();
    socket.receive({ type: "typing" });
    socket.receive(delta(0, "Visit http://elsewhere.example"));
    socket.receive(final("Sorry, I didn't quite get that."));
    const state = client.state;
    expect(state.streaming).toEqual([]);
    expect(state.typing).toBe(false);
    expect(state.messages.map((message) => message.text)).toEqual(["when do you ship?", "Sorry, I didn't quite get that."]);
    socket.receive(delta(0, "Visit http://elsewhere.example"));
    expect(client.state.streaming).toEqual([]);
  });

  it("keeps streaming through a user message and an agent's message: only a bot message ends it", async () => {
    const { client, socket } = await asking();
    socket.receive(delta(0, "We ship"));
    socket.receive({ type: "message", seq: 2, role: "user", text: "and to Spain?", at: 2 });
    socket.receive({ type: "message", seq: 3, role: "agent", text: "I'm here too", at: 3, author: { id: "a1", name: "Anna" } });
    expect(streamed(client.state)).toEqual(["We ship"]);
  });

  it("does not repeat the text when a reconnect replays the reply from offset 0", async () => {
    const { client, socket, sockets } = await asking();
    socket.receive(delta(0, "We ship"));
    socket.receive(delta(7, " within"));
    socket.serverClose(1006);
    await vi.advanceTimersByTimeAsync(1);
    const again = sockets[1] as FakeSocket;
    again.open();
    expect(again.frames()[0]).toEqual({ type: "hello", since: 1 });
    expect(streamed(client.state)).toEqual(["We ship within"]);
    again.receive(delta(0, "We ship within two"));
    again.receive(delta(18, " working days."));
    expect(streamed(client.state)).toEqual(["We ship within two working days."]);
    again.receive(final("We ship within two working days."));
    expect(client.state.streaming).toEqual([]);
    expect(client.state.messages.filter((message) => message.role === "bot")).toHaveLength(1);
  });

  it("after a reload, shows the text so far that follows the history replay", async () => {
    const { client, sockets } = setup();
    const socket = await connected(client, sockets);
    expect(socket.frames()[0]).toEqual({ type: "hello", since: 0 });
    socket.receive(asked);
    socket.receive(delta(0, "We ship within"));
    expect(client.state.messages).toHaveLength(1);
    expect(streamed(client.state)).toEqual(["We ship within"]);
  });

  it(`gives up on a reply with no delta for ${STREAM_IDLE_MS / 1000} s`, async () => {
    const { client, socket } = await asking();
    const seen = vi.fn();
    client.subscribe(seen);
    socket.receive(delta(0, "We ship"));
    await vi.advanceTimersByTimeAsync(STREAM_IDLE_MS);
    expect(client.state.streaming).toEqual([]);
    expect(seen).toHaveBeenLastCalledWith(expect.objectContaining({ streaming: [] }));
  });

  it("drops the streamed reply of a turn the server refused", async () => {
    const { client, socket } = await asking();
    socket.receive(delta(0, "We ship"));
    socket.receive({ type: "error", code: "internal", message: "try again", clientMessageId: "m1" });
    expect(client.state.streaming).toEqual([]);
  });

  it("forgets streamed replies when the conversation is erased (close 4205)", async () => {
    const { client, socket } = await asking();
    socket.receive(delta(0, "We ship"));
    socket.serverClose(4205, "conversation erased");
    expect(client.state.streaming).toEqual([]);
  });

  it("ignores malformed deltas and keeps markup as plain text", async () => {
    const { client, socket } = await asking();
    socket.receive({ type: "delta", replyTo: "1", offset: 0, text: "a" });
    socket.receive({ type: "delta", replyTo: 1, offset: -1, text: "b" });
    socket.receive({ type: "delta", replyTo: 1, offset: 0.5, text: "c" });
    socket.receive({ type: "delta", replyTo: 1, offset: 0 });
    socket.receive({ type: "delta", replyTo: 1, offset: 0, text: "d", clientMessageId: 5 });
    expect(client.state.streaming).toEqual([]);
    socket.receive({ type: "delta", replyTo: 1, offset: 0, text: "<img src=x onerror=alert(1)>" });
    expect(streamed(client.state)).toEqual(["<img src=x onerror=alert(1)>"]);
  });
});
