import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { userLimits } from "../../../durable-objects/conversation/user-rate-limit.js";
import { isRefusal } from "../../../src/protocol/errors.js";
import { call, errorOf, say, tokenFor } from "../helpers.js";
import { liveSocket } from "../ws-client.js";

// The worker tests run with RATE_LIMIT_USER_BURST=50 (vitest.config.ts): long test conversations fit in it.
const BURST = userLimits(env).capacity;

describe("per-user rate limit", () => {
  it("answers 429 with Retry-After past the burst, and a refused turn stores nothing", async () => {
    const token = await tokenFor("flooder");
    const responses = await Promise.all(Array.from({ length: BURST + 10 }, (_, i) => say(token, "hello", `f${i}`)));
    const refused = responses.filter((r) => r.status === 429);
    const accepted = responses.filter((r) => r.status === 200);
    expect(refused.length).toBeGreaterThanOrEqual(5);
    expect(accepted.length + refused.length).toBe(responses.length);
    expect(Number(refused[0]!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await errorOf(refused[0]!)).toMatchObject({ code: "rate_limited" });
    const history = (await (await call("/v1/conversation/messages?limit=200", { token })).json()) as { messages: unknown[] };
    expect(history.messages).toHaveLength(accepted.length * 2);
  });

  it("still answers a duplicate of an accepted message while limited", async () => {
    const token = await tokenFor("flooder-2");
    const first = await say(token, "hello", "keep");
    await Promise.all(Array.from({ length: BURST + 5 }, (_, i) => say(token, "hello", `g${i}`)));
    const again = await say(token, "hello", "keep");
    expect(again.status).toBe(200);
    expect(((await again.json()) as { duplicate: boolean }).duplicate).toBe(true);
    expect(first.status).toBe(200);
  });

  it("limits one user without touching another", async () => {
    const token = await tokenFor("flooder-3");
    await Promise.all(Array.from({ length: BURST + 5 }, (_, i) => say(token, "hello", `h${i}`)));
    expect((await say(await tokenFor("calm-user"), "hello", "c1")).status).toBe(200);
  });

  it("answers a refusal over RPC instead of throwing one (which the runtime logs as the actor's uncaught error)", async () => {
    const userId = "flooder-rpc";
    const actor = env.CONVERSATION.getByName(userId);
    const answers = await Promise.all(Array.from({ length: BURST + 5 }, (_, i) => actor.turn({ text: "hello", clientMessageId: `r${i}` })));
    const refused = answers.filter(isRefusal);
    expect(refused.length).toBeGreaterThanOrEqual(5);
    expect(refused[0]).toMatchObject({ refused: { code: "rate_limited", headers: { "retry-after": expect.stringMatching(/^\d+$/) } } });
  });

  it("answers a say past the burst with a rate_limited error frame for that message, and the socket stays open", async () => {
    const socket = await liveSocket(await tokenFor("flooder-ws"));
    for (let i = 0; i < BURST + 10; i++) socket.send({ type: "say", text: "hello", clientMessageId: `s${i}` });
    const frames = await socket.until((got) => got.some((frame) => frame.type === "error"), "an error frame", 15_000);
    expect(frames.find((frame) => frame.type === "error")).toMatchObject({ code: "rate_limited", clientMessageId: expect.stringMatching(/^s\d+$/) });
    socket.send({ type: "ping" });
    await socket.until((got) => got.some((frame) => frame.type === "pong"), "a pong");
    socket.close();
  });
});
