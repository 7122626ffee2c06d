import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ConversationActor } from "../../durable-objects/conversation/conversation-actor.js";
import type { SocketAttachment } from "../../durable-objects/conversation/sockets.js";
import { ConversationSockets } from "../../durable-objects/conversation/sockets.js";
import type { MessageFrame } from "../../src/protocol/frames.js";
import { PING_FRAME } from "../../src/protocol/ws.js";
import { DEV_JWT_SECRET } from "../../src/security/dev-secrets.js";
import { secretBytes, signToken } from "../../src/security/jwt.js";
import { CLOCK_TOLERANCE_S } from "../../src/security/token-time.js";
import { call, say, tokenFor } from "./helpers.js";
import { TestSocket, liveSocket, openSocket, upgradeRequest } from "./ws-client.js";

const actorOf = (userId: string) => env.CONVERSATION.getByName(userId);
const seqs = (frames: readonly MessageFrame[]) => frames.map((frame) => frame.seq);

async function restTurn(token: string, text: string, clientMessageId?: string): Promise<{ seq: number; duplicate: boolean }> {
  const response = await say(token, text, clientMessageId);
  expect(response.status).toBe(200);
  return (await response.json()) as { seq: number; duplicate: boolean };
}

async function history(token: string) {
  const response = await call("/v1/conversation/messages?after=0&limit=200", { token });
  return ((await response.json()) as { messages: Array<{ seq: number; role: string; text: string }> }).messages;
}

describe("GET /v1/ws: a turn through the socket", () => {
  it("runs a say like POST /v1/messages and pushes both messages, in seq order", async () => {
    const token = await tokenFor("ws-say");
    const socket = await liveSocket(token);
    socket.send({ type: "say", text: "hello", clientMessageId: "w1" });
    await socket.untilMessages(2);
    const [user, bot] = socket.messages();
    expect(user).toMatchObject({ type: "message", role: "user", text: "hello", clientMessageId: "w1" });
    expect(bot).toMatchObject({ type: "message", role: "bot", quickReplies: expect.arrayContaining(["Check stock"]) });
    expect(bot!.seq).toBeGreaterThan(user!.seq);
    expect(seqs(socket.messages())).toEqual((await history(token)).map((message) => message.seq));
    socket.close();
  });

  it("dedupes by clientMessageId: a repeated say (or a REST call with the same id) runs no second turn", async () => {
    const token = await tokenFor("ws-dedupe");
    const socket = await liveSocket(token);
    socket.send({ type: "say", text: "hello", clientMessageId: "once" });
    socket.send({ type: "say", text: "hello", clientMessageId: "once" });
    await socket.untilMessages(2);
    expect(await restTurn(token, "hello", "once")).toMatchObject({ duplicate: true });
    socket.send({ type: "say", text: "hello again", clientMessageId: "once" });
    await socket.quiet();
    expect(socket.messages()).toHaveLength(2);
    expect(await history(token)).toHaveLength(2);
    socket.close();
  });
});

describe("GET /v1/ws: replay", () => {
  it("replays every message after `since`, in seq order, then goes live without gaps or repeats", async () => {
    const token = await tokenFor("ws-replay");
    await restTurn(token, "hello", "r1");
    const second = await restTurn(token, "do you have running shoes?", "r2");
    await restTurn(token, "size 42", "r3");
    const all = await history(token);
    const after = all.filter((message) => message.seq > second.seq);

    const socket = await liveSocket(token, second.seq, after.length);
    expect(seqs(socket.messages())).toEqual(after.map((message) => message.seq));
    expect(socket.messages().map((frame) => frame.text)).toEqual(after.map((message) => message.text));

    await restTurn(token, "thanks", "r4");
    await socket.untilMessages(after.length + 2);
    await socket.quiet();
    const got = seqs(socket.messages());
    expect(got).toEqual((await history(token)).filter((message) => message.seq > second.seq).map((message) => message.seq));
    expect(new Set(got).size).toBe(got.length);
    socket.close();
  });

  it("hello { since: 0 } gives the whole conversation (a reloaded page)", async () => {
    const token = await tokenFor("ws-reload");
    await restTurn(token, "hello", "a");
    await restTurn(token, "where is my order?", "b");
    const socket = await liveSocket(token, 0, 4);
    expect(socket.messages().map((frame) => frame.role)).toEqual(["user", "bot", "user", "bot"]);
    socket.close();
  });

  it("has no gap and no repeat when turns commit while the socket says hello", async () => {
    const token = await tokenFor("ws-race");
    await restTurn(token, "hello", "pre");
    const socket = await openSocket(token);
    const turns = Array.from({ length: 6 }, (_, i) => restTurn(token, `hello ${i}`, `race-${i}`));
    socket.send({ type: "hello", since: 0 });
    await Promise.all(turns);
    const expected = (await history(token)).map((message) => message.seq);
    await socket.untilMessages(expected.length);
    await socket.quiet();
    expect(seqs(socket.messages())).toEqual(expected);
    socket.close();
  });

  it("pushes nothing to a socket before its hello", async () => {
    const token = await tokenFor("ws-silent");
    const socket = await openSocket(token);
    await restTurn(token, "hello", "s1");
    await socket.quiet();
    expect(socket.frames).toEqual([]);
    socket.send({ type: "say", text: "hi", clientMessageId: "s2" });
    await socket.until((frames) => frames.length === 1);
    expect(socket.frames[0]).toMatchObject({ type: "error", code: "invalid_request", clientMessageId: "s2" });
    socket.close();
  });
});

describe("GET /v1/ws: fan-out", () => {
  it("pushes a turn from one socket, or from REST, to every socket of the user and no one else's", async () => {
    const token = await tokenFor("ws-tabs");
    const tabA = await liveSocket(token);
    const tabB = await liveSocket(token);
    const stranger = await liveSocket(await tokenFor("ws-stranger"));
    tabA.send({ type: "say", text: "hello", clientMessageId: "t1" });
    await tabB.untilMessages(2);
    await restTurn(token, "where is my order?", "t2");
    await tabA.untilMessages(4);
    await tabB.untilMessages(4);
    await tabA.quiet();
    expect(seqs(tabA.messages())).toEqual(seqs(tabB.messages()));
    expect(seqs(tabA.messages())).toEqual((await history(token)).map((message) => message.seq));
    await stranger.quiet();
    expect(stranger.frames).toEqual([]);
    for (const socket of [tabA, tabB, stranger]) socket.close();
  });
});

describe("GET /v1/ws: bad frames", () => {
  it.each([
    ["not JSON", "{oops", /not valid JSON/],
    ["an unknown type", { type: "shout", text: "hi" }, /^type: /],
    ["an over-long text", { type: "say", text: "x".repeat(2001), clientMessageId: "long" }, /^text: /],
    ["a blank text", { type: "say", text: "   ", clientMessageId: "blank" }, /^text: must not be empty/],
    ["a bad since", { type: "hello", since: "yesterday" }, /^since: /],
  ])("answers %s with an error frame, and the socket stays usable", async (_name, frame, message) => {
    const token = await tokenFor(`ws-bad-${String(_name).replaceAll(" ", "-")}`);
    const socket = await liveSocket(token);
    socket.send(frame);
    await socket.until((frames) => frames.some((f) => f.type === "error"), "an error frame");
    expect(socket.frames[0]).toMatchObject({ type: "error", code: "invalid_request", message: expect.stringMatching(message) });
    socket.send({ type: "say", text: "hello", clientMessageId: "after-bad" });
    await socket.untilMessages(2);
    expect(await history(token)).toHaveLength(2);
    socket.close();
  });

  it("answers binary frames with an error frame", async () => {
    const socket = await liveSocket(await tokenFor("ws-binary"));
    socket.ws.send(new Uint8Array([1, 2, 3]));
    await socket.until((frames) => frames.length === 1);
    expect(socket.frames[0]).toMatchObject({ type: "error", message: expect.stringMatching(/binary/) });
    socket.close();
  });

  it("answers pings with pongs, however they are spelled", async () => {
    const socket = await liveSocket(await tokenFor("ws-ping"));
    socket.send(PING_FRAME);
    socket.send('{ "type": "ping" }');
    await socket.until((frames) => frames.length === 2);
    expect(socket.frames).toEqual([{ type: "pong" }, { type: "pong" }]);
    socket.close();
  });
});

describe("GET /v1/ws: hibernation", () => {
  it("keeps per-socket state in attachments and answers pings without waking the actor", async () => {
    const token = await tokenFor("ws-attach");
    await restTurn(token, "hello", "h0");
    const socket = await liveSocket(token, 0, 2);
    socket.send(PING_FRAME);
    await socket.until((frames) => frames.some((frame) => frame.type === "pong"));
    await runInDurableObject(actorOf("ws-attach"), (_: ConversationActor, state) => {
      const [ws] = state.getWebSockets();
      const attachment = ws!.deserializeAttachment() as SocketAttachment;
      expect(attachment).toEqual({ userId: "ws-attach", expiresAt: expect.any(Number), lastSeq: socket.messages().at(-1)!.seq });
      expect(state.getWebSocketAutoResponse()?.request).toBe(PING_FRAME);
      expect(state.getWebSocketAutoResponseTimestamp(ws!)).toBeInstanceOf(Date);
    });
    socket.close();
  });

  it("survives the actor's eviction: the socket stays open, says and pushes still flow", async () => {
    const token = await tokenFor("ws-hibernate");
    const socket = await liveSocket(token);
    socket.send({ type: "say", text: "hello", clientMessageId: "before" });
    await socket.untilMessages(2);
    await evictDurableObject(actorOf("ws-hibernate"));
    socket.send({ type: "say", text: "where is my order?", clientMessageId: "after" });
    await socket.untilMessages(4);
    await evictDurableObject(actorOf("ws-hibernate"));
    await restTurn(token, "thanks", "rest-after");
    await socket.untilMessages(6);
    await socket.quiet();
    expect(seqs(socket.messages())).toEqual((await history(token)).map((message) => message.seq));
    socket.close();
  });
});

describe("GET /v1/ws: typing", () => {
  it("sends typing to live sockets when a turn is slow, and nothing when it is quick", async () => {
    const token = await tokenFor("ws-typing");
    const socket = await liveSocket(token);
    await runInDurableObject(actorOf("ws-typing"), async (_: ConversationActor, state) => {
      const sockets = new ConversationSockets(state, {
        turn: () => Promise.reject(new Error("unused")),
        eventsAfter: () => [],
        currentSeq: () => 0,
        pseudonym: () => Promise.resolve("u"),
      });
      await sockets.typingWhile(() => Promise.resolve("quick"), 100);
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(socket.frames).toEqual([]);
      await sockets.typingWhile(() => new Promise((resolve) => setTimeout(resolve, 150)), 20);
    });
    await socket.until((frames) => frames.length === 1);
    expect(socket.frames).toEqual([{ type: "typing" }]);
    socket.close();
  });
});

describe("GET /v1/ws: authentication", () => {
  async function refusedWith(request: Request): Promise<number> {
    const response = await exports.default.fetch(request);
    expect(response.status).toBe(101);
    const socket = new TestSocket(response.webSocket!);
    return (await socket.closed).code;
  }

  it("closes with 4401 (do not retry) without a token, with a forged one or an expired one", async () => {
    expect(await refusedWith(upgradeRequest({ "sec-websocket-protocol": "parley.v1" }))).toBe(4401);
    expect(await refusedWith(upgradeRequest({ "sec-websocket-protocol": "parley.v1, bearer.not.a.jwt" }))).toBe(4401);
    const expired = await tokenFor("ws-expired", ["chat"], -3600);
    expect(await refusedWith(upgradeRequest({ "sec-websocket-protocol": `parley.v1, bearer.${expired}` }))).toBe(4401);
  });

  it("closes with 4403 without the chat scope", async () => {
    const token = await tokenFor("ws-voice-only", ["voice"]);
    expect(await refusedWith(upgradeRequest({ "sec-websocket-protocol": `parley.v1, bearer.${token}` }))).toBe(4403);
  });

  it("closes with 4401 at the first frame once the token is past exp and the clock tolerance, not before", async () => {
    const { token, expiresAt } = await signToken({ userId: "ws-expiring", scopes: ["chat"], ttlSeconds: 60, secret: secretBytes(DEV_JWT_SECRET) });
    const socket = await liveSocket(token);
    const refusedFrom = expiresAt + CLOCK_TOLERANCE_S * 1000;
    // The user's real socket and attachment, read by sockets whose clock the test sets instead of waiting a minute.
    await runInDurableObject(actorOf("ws-expiring"), async (_: ConversationActor, state) => {
      const [ws] = state.getWebSockets();
      const host = { turn: () => Promise.reject(new Error("unused")), eventsAfter: () => [], currentSeq: () => 0, pseudonym: () => Promise.resolve("u") };
      await new ConversationSockets(state, host, () => refusedFrom - 1).message(ws!, '{ "type": "ping" }');
      await new ConversationSockets(state, host, () => refusedFrom).message(ws!, JSON.stringify({ type: "say", text: "hello", clientMessageId: "late" }));
    });
    expect((await socket.closed).code).toBe(4401);
    expect(socket.frames).toEqual([{ type: "pong" }]);
  });

  it("accepts Authorization: Bearer from clients that can set headers", async () => {
    const token = await tokenFor("ws-header");
    const response = await exports.default.fetch(upgradeRequest({ authorization: `Bearer ${token}` }));
    expect(response.status).toBe(101);
    expect(response.headers.get("sec-websocket-protocol")).toBeNull();
    const socket = new TestSocket(response.webSocket!);
    socket.send(PING_FRAME);
    await socket.until((frames) => frames.length === 1);
    socket.close();
  });

  it("answers a plain GET, or a handshake without parley.v1, with 400 JSON", async () => {
    const token = await tokenFor("ws-plain");
    const plain = await call("/v1/ws", { token });
    expect(plain.status).toBe(400);
    expect(await plain.json()).toMatchObject({ error: { code: "invalid_request" } });
    const wrong = await exports.default.fetch(upgradeRequest({ "sec-websocket-protocol": `chat.v9, bearer.${token}` }));
    expect(wrong.status).toBe(400);
  });

  it("refuses a browser on a page whose origin is not allowed", async () => {
    const token = await tokenFor("ws-origin");
    const foreign = await exports.default.fetch(upgradeRequest({ "sec-websocket-protocol": `parley.v1, bearer.${token}`, origin: "https://evil.example" }));
    expect(foreign.status).toBe(403);
    const own = await openSocket(token, { origin: "http://parley.test" });
    own.close();
  });

  it("closes every socket with 4205 when the conversation is erased", async () => {
    const token = await tokenFor("ws-erased");
    const socket = await liveSocket(token);
    expect((await call("/v1/conversation", { method: "DELETE", token })).status).toBe(204);
    expect((await socket.closed).code).toBe(4205);
  });
});

describe("GET /v1/ws: what the socket shows matches history", () => {
  it("pushes a message with sensitive values masked, as history stores it", async () => {
    const token = await tokenFor("ws-masked");
    const socket = await liveSocket(token);
    for (const [i, text] of ["I want to change my delivery address", "it's 13812345678"].entries()) {
      socket.send({ type: "say", text, clientMessageId: `m${i}` });
      await socket.untilMessages(2 * (i + 1));
    }
    const pushed = socket.messages().map((frame) => frame.text);
    expect(pushed).toContain("it's ***5678");
    expect(JSON.stringify(socket.frames)).not.toContain("13812345678");
    expect(pushed).toEqual((await history(token)).map((message) => message.text));
    socket.close();
  });

  it("pushes a linked guest's conversation to the user's live sockets", async () => {
    const guest = (await (await call("/v1/sessions/anonymous", { method: "POST", headers: { "cf-connecting-ip": "192.0.2.51" } })).json()) as { token: string };
    await restTurn(guest.token, "do you have running shoes in size 39?", "g1");
    const token = await tokenFor("ws-linking");
    await restTurn(token, "hello", "u1");
    const socket = await liveSocket(token, 0, 2);
    const linked = await call("/v1/identity/link", { method: "POST", token, json: { anonymousToken: guest.token } });
    expect(linked.status).toBe(200);
    await socket.until(() => socket.messages().some((frame) => frame.text === "do you have running shoes in size 39?"), "the guest's message");
    await socket.quiet();
    expect(seqs(socket.messages())).toEqual((await history(token)).map((message) => message.seq));
    socket.close();
  });
});
