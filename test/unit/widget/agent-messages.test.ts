import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AGENT_TYPING_TIMEOUT_MS, ChatClient, TYPING_TIMEOUT_MS } from "../../../widget/core/chat-client.js";
import { readServerFrame } from "../../../widget/core/server-frames.js";
import { speakerOf, typingText, withName } from "../../../widget/core/speakers.js";
import { memoryStore } from "../../../widget/core/storage.js";
import { STRINGS } from "../../../widget/core/strings.js";
import type { FakeSocket } from "./fake-socket.js";
import { settle, socketFactory } from "./fake-socket.js";

const anna = { id: "anna", name: "Anna" };
const frame = (value: unknown) => readServerFrame(JSON.stringify(value));

async function connected(): Promise<{ client: ChatClient; socket: FakeSocket }> {
  const factory = socketFactory();
  const client = new ChatClient({
    url: "ws://parley.test/v1/ws",
    token: async () => "t",
    openSocket: factory.open,
    random: () => 0,
    store: memoryStore(),
    outboxKey: "parley:outbox:test",
  });
  client.start();
  await settle();
  const socket = factory.sockets.at(-1);
  if (!socket) throw new Error("no socket");
  socket.open();
  return { client, socket };
}

describe("agent and system messages from the server", () => {
  it("reads an agent's message and a system line with their author", () => {
    const agent = { type: "message", seq: 5, role: "agent", text: "Hi, I'm Anna", at: 1, author: anna };
    const system = { type: "message", seq: 4, role: "system", text: "Anna joined the chat", at: 1, author: anna };
    expect(frame(agent)).toEqual(agent);
    expect(frame(system)).toEqual(system);
  });

  it("drops a message with an unknown role or a malformed author", () => {
    expect(frame({ type: "message", seq: 5, role: "admin", text: "x", at: 1 })).toBeNull();
    expect(frame({ type: "message", seq: 5, role: "agent", text: "x", at: 1, author: "Anna" })).toBeNull();
    expect(frame({ type: "message", seq: 5, role: "agent", text: "x", at: 1, author: { id: "anna" } })).toBeNull();
  });

  it("reads a typing frame with or without an author, and drops one whose author is malformed", () => {
    expect(frame({ type: "typing" })).toEqual({ type: "typing" });
    expect(frame({ type: "typing", author: anna })).toEqual({ type: "typing", author: anna });
    expect(frame({ type: "typing", author: { name: 7 } })).toBeNull();
  });
});

describe("who speaks, as the widget says it", () => {
  it("names an agent in both languages, for screen readers and above the bubble", () => {
    expect(speakerOf({ role: "agent", author: anna }, STRINGS.en)).toEqual({ prefix: "Anna (agent): ", label: "Anna (agent)" });
    expect(speakerOf({ role: "agent", author: { id: "li", name: "李娜" } }, STRINGS.zh)).toEqual({
      prefix: "李娜（人工客服）: ",
      label: "李娜（人工客服）",
    });
  });

  it("still marks an agent's message without a name as an agent's", () => {
    expect(speakerOf({ role: "agent" }, STRINGS.en).label).toBe("Agent");
    expect(speakerOf({ role: "agent", author: { id: "x", name: "  " } }, STRINGS.zh).label).toBe("人工客服");
  });

  it("keeps the user's and the bot's prefixes, and gives a system line none", () => {
    expect(speakerOf({ role: "user" }, STRINGS.en)).toEqual({ prefix: "You: ", label: "" });
    expect(speakerOf({ role: "bot" }, STRINGS.en)).toEqual({ prefix: "Assistant: ", label: "" });
    expect(speakerOf({ role: "system", author: anna }, STRINGS.en)).toEqual({ prefix: "", label: "" });
  });

  it("says which agent is typing, and the bot's line otherwise", () => {
    expect(typingText("Anna", STRINGS.en)).toBe("Anna is typing…");
    expect(typingText("李娜", STRINGS.zh)).toBe("李娜 正在输入…");
    expect(typingText(null, STRINGS.en)).toBe(STRINGS.en.typing);
  });

  it("puts a name in as text, whatever it contains", () => {
    expect(withName("{name} is typing…", "$& <b>")).toBe("$& <b> is typing…");
  });
});

describe("ChatClient with a human agent", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("shows the agent typing until their message comes", async () => {
    const { client, socket } = await connected();
    socket.receive({ type: "typing", author: anna });
    expect(client.state).toMatchObject({ typing: true, typingAgent: "Anna" });
    socket.receive({ type: "message", seq: 3, role: "agent", text: "Let me check", at: 1, author: anna });
    expect(client.state).toMatchObject({ typing: false, typingAgent: null });
    expect(client.state.messages.at(-1)).toMatchObject({ role: "agent", author: anna });
  });

  it("stops the agent's indicator soon after their last typing frame; the bot's lasts longer", async () => {
    const { client, socket } = await connected();
    socket.receive({ type: "typing", author: anna });
    await vi.advanceTimersByTimeAsync(AGENT_TYPING_TIMEOUT_MS - 100);
    socket.receive({ type: "typing", author: anna });
    await vi.advanceTimersByTimeAsync(AGENT_TYPING_TIMEOUT_MS - 100);
    expect(client.state.typingAgent).toBe("Anna");
    await vi.advanceTimersByTimeAsync(100);
    expect(client.state.typing).toBe(false);
    socket.receive({ type: "typing" });
    await vi.advanceTimersByTimeAsync(AGENT_TYPING_TIMEOUT_MS);
    expect(client.state).toMatchObject({ typing: true, typingAgent: null });
    await vi.advanceTimersByTimeAsync(TYPING_TIMEOUT_MS);
    expect(client.state.typing).toBe(false);
  });

  it("stops the indicator when a system line says the agent left", async () => {
    const { client, socket } = await connected();
    socket.receive({ type: "typing", author: anna });
    socket.receive({ type: "message", seq: 7, role: "system", text: "Anna left the chat", at: 1, author: anna });
    expect(client.state.typing).toBe(false);
  });

  it("offers no quick replies under an agent's message", async () => {
    const { client, socket } = await connected();
    socket.receive({ type: "message", seq: 1, role: "bot", text: "Menu", at: 1, quickReplies: ["Order status"] });
    socket.receive({ type: "message", seq: 2, role: "agent", text: "Hello", at: 2, author: anna });
    expect(client.state.quickReplies).toEqual([]);
  });

  it("replays agent and system messages after a reconnect like any other, from the last seq shown", async () => {
    const { client, socket } = await connected();
    socket.receive({ type: "message", seq: 4, role: "system", text: "Anna joined the chat", at: 1, author: anna });
    socket.receive({ type: "message", seq: 5, role: "agent", text: "Hi", at: 2, author: anna });
    socket.receive({ type: "message", seq: 5, role: "agent", text: "Hi", at: 2, author: anna });
    expect(client.state.messages.map((message) => [message.role, message.text])).toEqual([
      ["system", "Anna joined the chat"],
      ["agent", "Hi"],
    ]);
  });
});
