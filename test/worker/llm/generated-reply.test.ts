import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { call, tokenFor } from "../helpers.js";
import { liveSocket } from "../ws-client.js";
import { RETURNS_ANSWER, fakeRequestsWith, fakeRules, publishLlmShop, replay, sseEvents } from "./fixtures.js";

interface TurnAnswer {
  seq: number;
  reply: { text: string };
  duplicate: boolean;
  botVersion: string;
}

async function ask(token: string, text: string, clientMessageId: string, accept = "application/json"): Promise<Response> {
  return call("/v1/messages", { method: "POST", token, json: { text, clientMessageId }, headers: { accept } });
}

async function exported(token: string): Promise<{ seq: number; type: string; data: Record<string, unknown> }[]> {
  const text = await (await call("/v1/conversation/export", { token })).text();
  return text
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as { seq: number; type: string; data: Record<string, unknown> });
}

async function history(token: string): Promise<{ seq: number; role: string; text: string }[]> {
  return ((await (await call("/v1/conversation/messages", { token })).json()) as { messages: { seq: number; role: string; text: string }[] }).messages;
}

beforeAll(publishLlmShop);

describe("a knowledge answer written by the bot's model", () => {
  it("is the model's text, committed after the user's message, with the model and version recorded", async () => {
    const written = "You can send them back within 30 days, free of charge: https://shop.example/returns";
    await fakeRules([{ match: "how do I return my shoes", reply: written }]);
    const token = await tokenFor("llm-json-user");
    const response = await ask(token, "how do I return my shoes", "r1");
    expect(response.status).toBe(200);
    const answer = (await response.json()) as TurnAnswer;
    expect(answer).toMatchObject({ reply: { text: written }, duplicate: false, botVersion: "llm-1" });
    const messages = await history(token);
    expect(messages.map(({ role, text }) => ({ role, text }))).toEqual([
      { role: "user", text: "how do I return my shoes" },
      { role: "bot", text: written },
    ]);
    const events = await exported(token);
    const pending = events.find((event) => event.type === "reply.generating");
    expect(pending?.data).toMatchObject({ kind: "knowledge", model: "fake-chat-1", botVersion: "llm-1", scripted: { text: RETURNS_ANSWER } });
    expect(events.at(-1)).toMatchObject({ seq: answer.seq, type: "message.bot", data: { generation: { outcome: "generated", model: "fake-chat-1" } } });
    expect((await (await ask(token, "how do I return my shoes", "r1")).json()) as TurnAnswer).toEqual({ ...answer, duplicate: true });
  });

  it("streams as Server-Sent Events: deltas that add up to the reply, then done with the TurnResult", async () => {
    const written = "Yes — you have thirty days to return any pair, unworn, with the receipt.";
    await fakeRules([{ match: "can I return my order today", reply: written, chunkDelayMs: 50 }]);
    const token = await tokenFor("llm-sse-user");
    const response = await ask(token, "can I return my order today", "s1", "text/event-stream");
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const events = await sseEvents(response);
    const deltas = events.filter((event) => event.event === "delta").map((event) => event.data as { offset: number; text: string });
    expect(deltas.length).toBeGreaterThan(2);
    expect(replay(deltas)).toBe(written);
    expect(events.at(-1)).toMatchObject({ event: "done", data: { reply: { text: written }, duplicate: false } });
    const done = events.at(-1)?.data as TurnAnswer;
    expect((await history(token)).at(-1)).toMatchObject({ seq: done.seq, text: written });
  });

  it("goes out as the scripted answer when it links to a host the bot does not allow — and no piece of the link is ever streamed", async () => {
    await fakeRules([
      { match: "how do I return shoes to you", reply: "Send them to https://evil.example/returns and we refund you at once.", chunkDelayMs: 5 },
    ]);
    const token = await tokenFor("llm-link-user");
    const events = await sseEvents(await ask(token, "how do I return shoes to you", "l1", "text/event-stream"));
    const streamed = replay(events.filter((event) => event.event === "delta").map((event) => event.data as { offset: number; text: string }));
    expect(streamed).not.toContain("evil");
    expect("Send them to https://evil.example/returns and we refund you at once.".startsWith(streamed)).toBe(true);
    expect(events.at(-1)).toMatchObject({ event: "done", data: { reply: { text: RETURNS_ANSWER } } });
    expect((await exported(token)).at(-1)?.data).toMatchObject({ text: RETURNS_ANSWER, generation: { outcome: "scripted", reason: "link_not_allowed" } });
  });

  it("goes out as the scripted answer when the provider fails, cuts the stream, or sends garbage", async () => {
    await fakeRules([
      { match: "return policy for boots", fault: "http500" },
      { match: "return policy for sandals", fault: "cut" },
      { match: "return policy for slippers", fault: "malformed" },
    ]);
    for (const [item, reason] of [
      ["boots", "http"],
      ["sandals", "cut"],
      ["slippers", "malformed"],
    ] as const) {
      const token = await tokenFor(`llm-fault-${item}`);
      const answer = (await (await ask(token, `how do I return shoes, return policy for ${item}`, "f1")).json()) as TurnAnswer;
      expect(answer.reply.text, item).toBe(RETURNS_ANSWER);
      expect((await exported(token)).at(-1)?.data, item).toMatchObject({ generation: { outcome: "scripted", reason } });
    }
  });

  it("goes out as the scripted answer when the first token does not come in time", async () => {
    await fakeRules([{ match: "return shoes slowly", reply: "too late", firstTokenDelayMs: 3_000 }]);
    const token = await tokenFor("llm-slow-quick");
    const answer = (await (await ask(token, "how do I return shoes slowly", "t1")).json()) as TurnAnswer;
    expect(answer).toMatchObject({ reply: { text: RETURNS_ANSWER }, botVersion: "llm-quick" });
    expect((await exported(token)).at(-1)?.data).toMatchObject({ generation: { outcome: "scripted", reason: "timeout" } });
  });
});

describe("a generation in progress", () => {
  it("is joined by a repeat of its clientMessageId: one generation, one reply, the same seq for both", async () => {
    const written = "We take Visa, Mastercard, Alipay and WeChat Pay, and you can pay on delivery too.";
    await fakeRules([{ match: "which payment methods do you accept now", reply: written, firstTokenDelayMs: 300, chunkDelayMs: 20 }]);
    const token = await tokenFor("llm-join-user");
    const [streamed, plain] = await Promise.all([
      ask(token, "which payment methods do you accept now", "j1", "text/event-stream").then(sseEvents),
      new Promise((resolve) => setTimeout(resolve, 150)).then(() => ask(token, "which payment methods do you accept now", "j1")),
    ]);
    const done = streamed.at(-1)?.data as TurnAnswer;
    const second = (await plain.json()) as TurnAnswer;
    expect(done).toMatchObject({ reply: { text: written }, duplicate: false });
    expect(second).toEqual({ ...done, duplicate: true });
    expect(await fakeRequestsWith("which payment methods do you accept now")).toHaveLength(1);
    expect((await history(token)).filter((message) => message.role === "bot")).toHaveLength(1);
  });

  it("reaches the user's sockets as delta frames, and a socket that says hello midway gets the text so far, then the rest, then the message", async () => {
    const written = "Shipping takes two to three working days within the mainland, and it is free above 199 yuan.";
    await fakeRules([{ match: "how long does shipping take to me", reply: written, firstTokenDelayMs: 100, chunkDelayMs: 60 }]);
    const token = await tokenFor("llm-socket-user");
    const first = await liveSocket(token);
    const turn = ask(token, "how long does shipping take to me", "w1");
    await first.until((frames) => frames.filter((frame) => frame.type === "delta").length >= 3, "three deltas");
    const late = await liveSocket(token, 0, 1);
    const answer = (await (await turn).json()) as TurnAnswer;
    for (const socket of [first, late]) {
      await socket.until((frames) => frames.some((frame) => frame.type === "message" && frame.seq === answer.seq), "the reply");
      const deltas = socket.frames.flatMap((frame) => (frame.type === "delta" ? [frame] : []));
      expect(replay(deltas)).toBe(written);
      expect(
        socket
          .messages()
          .filter((message) => message.role === "bot")
          .map((message) => message.text),
      ).toEqual([written]);
      socket.close();
    }
    const lateDeltas = late.frames.flatMap((frame) => (frame.type === "delta" ? [frame] : []));
    expect(lateDeltas[0]).toMatchObject({ offset: 0, clientMessageId: "w1" });
    expect(lateDeltas[0]?.text.length).toBeGreaterThan(0);
  });
});

describe("what the model is sent", () => {
  it("never holds a sensitive value in clear, nor the user's token; the user's text is fenced as data, once", async () => {
    const token = await tokenFor("llm-private-user");
    await ask(token, "blorp wibble, call me on 13987650123 xq7", "p1");
    const sent = await fakeRequestsWith("xq7");
    expect(sent.length).toBeGreaterThan(0);
    for (const body of sent) {
      expect(body).not.toContain("13987650123");
      expect(body).not.toContain(token);
      expect(body).toContain("user_message");
      // The message being answered is the question, not also a "recent turn".
      expect(body.split("xq7")).toHaveLength(2);
    }
  });
});

describe("a reply left pending by a crash", () => {
  it("is answered with the scripted reply on the conversation's next load, once; the retried message gets it as a duplicate", async () => {
    await fakeRules([{ match: "return policy for crashes", reply: "never seen", firstTokenDelayMs: 3_000 }]);
    const token = await tokenFor("llm-crash-user");
    const turn = ask(token, "how do I return shoes, return policy for crashes", "c1").catch((error: unknown) => error);
    for (let i = 0; i < 100 && (await history(token)).length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await history(token)).map((message) => message.role)).toEqual(["user"]);
    const { runInDurableObject } = await import("cloudflare:test");
    await runInDurableObject(env.CONVERSATION.getByName("llm-crash-user"), (_, state) => state.abort("crash mid-generation")).catch(() => undefined);
    await turn;
    const after = await history(token);
    expect(after.map(({ role, text }) => ({ role, text }))).toEqual([
      { role: "user", text: "how do I return shoes, return policy for crashes" },
      { role: "bot", text: RETURNS_ANSWER },
    ]);
    expect((await exported(token)).at(-1)?.data).toMatchObject({ generation: { outcome: "scripted", reason: "restart" } });
    const retried = (await (await ask(token, "how do I return shoes, return policy for crashes", "c1")).json()) as TurnAnswer;
    expect(retried).toMatchObject({ seq: after.at(-1)?.seq, reply: { text: RETURNS_ANSWER }, duplicate: true });
    expect(await history(token)).toHaveLength(2);
  });
});
