import { env } from "cloudflare:workers";
import { afterAll, describe, expect, it } from "vitest";
import shop from "../../../bots/shop.json";
import type { Env } from "../../../platform/env.js";
import { call, say, tokenFor } from "../helpers.js";
import { eventually, publish, adminToken as registryAdmin, setRollout, viewOf } from "../registry/fixtures.js";
import { liveSocket } from "../ws-client.js";
import { admin, campaign, create, settleAll } from "./fixtures.js";

// Cash wins start payout sagas that outlive their test: the file ends when they have.
afterAll(() => settleAll(["spring-lottery"]), 30_000);

interface Answer {
  seq: number;
  reply: { text: string };
  duplicate: boolean;
}

async function enter(token: string, clientMessageId: string, text = "I want to enter the lottery"): Promise<Answer> {
  const response = await say(token, text, clientMessageId);
  expect(response.status).toBe(200);
  return (await response.json()) as Answer;
}

async function drawsOf(campaignId: string): Promise<number> {
  const response = await admin(`/${campaignId}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { totals: { draws: number } }).totals.draws;
}

async function historyTexts(token: string): Promise<string[]> {
  const response = await call("/v1/conversation/messages?limit=100", { token });
  return ((await response.json()) as { messages: { text: string }[] }).messages.map((m) => m.text);
}

/**
 * The shop, its lottery drawing from `campaignId`: published as `version`, the canary of users
 * ending in `suffix` — answered once `token`'s user is on it (isolates pick a rollout up within its TTL).
 */
async function shopDrawingFrom(campaignId: string, version: string, suffix: string, token: string): Promise<void> {
  const text = JSON.stringify({ ...shop, version }).replaceAll('"campaign":"spring-lottery"', `"campaign":"${campaignId}"`);
  expect(text).toContain(`"campaign":"${campaignId}"`);
  const definition = JSON.parse(text) as Record<string, unknown>;
  const adminToken = await registryAdmin("lottery-admin");
  expect((await publish(adminToken, "shop", version, definition)).status).toBe(201);
  expect((await setRollout(adminToken, "shop", { stable: "1", canary: { version, suffixes: [suffix] } })).status).toBe(200);
  await eventually(async () => ((await viewOf(token)).botVersion === version ? true : undefined));
}

describe("the lottery in the chat draws from the campaign's pool", () => {
  it("one draw for 'I want to enter the lottery'; a retried turn and an erased conversation draw nothing more", async () => {
    const before = await drawsOf("spring-lottery");
    const token = await tokenFor("lottery-shopper-1");
    const first = await enter(token, "enter-1");
    expect(first.reply.text).toMatch(/Congratulations, you won|No prize this time/);
    const retried = await enter(token, "enter-1");
    expect(retried).toMatchObject({ duplicate: true, seq: first.seq, reply: first.reply });
    expect(await drawsOf("spring-lottery")).toBe(before + 1);

    expect((await call("/v1/conversation", { method: "DELETE", token })).status).toBe(204);
    const afterErase = await enter(token, "enter-2", "我要抽奖");
    expect(afterErase.reply.text).toContain("您已经参加过本期抽奖了");
    expect(await drawsOf("spring-lottery")).toBe(before + 1);
  });

  it("a cash win says what happens next, in the user's language", async () => {
    expect(
      (
        await create(
          campaign("chat-cash", {
            noPrizeWeight: 0,
            prizes: [{ id: "cash-5", kind: "cash", amount: 500, count: 10, weight: 1, label: { en: "¥5.00 in cash", zh: "5元现金" } }],
          }),
        )
      ).status,
    ).toBe(201);
    const [en, zh] = await Promise.all([tokenFor("winner-en-c5"), tokenFor("winner-zh-c5")]);
    await shopDrawingFrom("chat-cash", "cash1", "-c5", en);
    const english = await enter(en, "win-en");
    expect(english.reply.text).toContain("Congratulations, you won ¥5.00! I'm paying it into your account now");
    const chinese = await enter(zh, "win-zh", "我要抽奖");
    expect(chinese.reply.text).toContain("恭喜您抽中了¥5.00现金！正在打款到您的账户");
  });

  it("a paused campaign tells the shopper it is not open, and keeps their draw", async () => {
    expect((await create(campaign("chat-paused", { noPrizeWeight: 0 }))).status).toBe(201);
    const token = await tokenFor("shopper-p7");
    await shopDrawingFrom("chat-paused", "paused1", "-p7", token);
    expect((await admin("/chat-paused/pause", "POST")).status).toBe(200);
    expect((await enter(token, "closed-1")).reply.text).toContain("isn't open right now");
    expect((await admin("/chat-paused/resume", "POST")).status).toBe(200);
    expect((await enter(token, "closed-2")).reply.text).toContain("Congratulations, you won");
  });
});

describe("the payout saga's word reaches the winner's conversation", () => {
  const notice = { drawId: "spring-lottery:u:1", outcome: "paid" as const, prizeId: "cash-5", amount: 500, currency: "CNY" };

  it("as a bot message, live on the socket and in history, exactly once however often it is told", async () => {
    const token = await tokenFor("paid-shopper");
    await enter(token, "hello-1", "hello");
    const socket = await liveSocket(token, 0, 2);
    const actor = (env as Env).CONVERSATION.getByName("paid-shopper");
    const told = await actor.payoutNotice(notice);
    const again = await actor.payoutNotice(notice);
    expect(again).toEqual({ seq: told.seq, duplicate: true });
    const frames = await socket.untilMessages(3);
    expect(frames.at(-1)).toMatchObject({ type: "message", role: "bot", text: "Your ¥5.00 prize has been paid into your account. Enjoy!" });
    await socket.quiet();
    expect((await historyTexts(token)).filter((text) => text.includes("¥5.00"))).toHaveLength(1);
    const exported = await (await call("/v1/conversation/export", { token })).text();
    expect(exported).toContain('"type":"payout.paid"');
    socket.close();
  });

  it("a failed payout is told in the user's language, with what to do next", async () => {
    const token = await tokenFor("failed-shopper");
    await enter(token, "hello-zh", "你好");
    const actor = (env as Env).CONVERSATION.getByName("failed-shopper");
    await actor.payoutNotice({ ...notice, drawId: "spring-lottery:f:1", outcome: "failed", reason: "invalid_account" });
    expect((await historyTexts(token)).at(-1)).toBe("抱歉，您的¥5.00奖金未能到账，请联系客服（说“转人工”）为您处理。");
  });
});
