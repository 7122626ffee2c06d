import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ConversationActor } from "../../../durable-objects/conversation/conversation-actor.js";
import { call, errorOf, say, tokenFor } from "../helpers.js";

async function guestSession(): Promise<{ token: string; userId: string }> {
  return (await (await call("/v1/sessions/anonymous", { method: "POST", headers: { "cf-connecting-ip": "192.0.2.50" } })).json()) as {
    token: string;
    userId: string;
  };
}

const link = (token: string, anonymousToken: string) => call("/v1/identity/link", { method: "POST", token, json: { anonymousToken } });
const viewOf = async (token: string) => (await (await call("/v1/conversation", { token })).json()) as { seq: number; slots: Record<string, unknown> };

describe("POST /v1/identity/link", () => {
  it("brings the guest's messages and slots into the user's conversation once, and erases the guest", async () => {
    const guest = await guestSession();
    await say(guest.token, "do you have running shoes in size 39?", "g1");
    await say(guest.token, "I want to change my delivery address", "g2");
    await say(guest.token, "it's 13812345678", "g3");
    const user = await tokenFor("linking-user");
    await say(user, "hello", "u1");

    const response = await link(user, guest.token);
    expect(response.status).toBe(200);
    const { merged, userId } = (await response.json()) as { merged: number; userId: string };
    expect(userId).toBe("linking-user");
    expect(merged).toBeGreaterThanOrEqual(6);

    const view = await viewOf(user);
    expect(view.slots).toMatchObject({ product: "running", size: 39, phone: "***5678" });
    const history = (await (await call("/v1/conversation/messages?limit=200", { token: user })).json()) as { messages: { role: string; text: string }[] };
    expect(history.messages.map((m) => m.text)).toContain("do you have running shoes in size 39?");
    expect(history.messages.map((m) => m.text)).toContain("it's ***5678");
    expect((await viewOf(guest.token)).seq).toBe(0);
    const raw = await runInDurableObject(env.CONVERSATION.getByName("linking-user"), (_: ConversationActor, state) =>
      JSON.stringify(state.storage.sql.exec("SELECT data FROM events").toArray()),
    );
    expect(raw).not.toContain("13812345678");

    const again = await link(user, guest.token);
    expect(((await again.json()) as { merged: number }).merged).toBe(merged);
    expect((await viewOf(user)).seq).toBe(view.seq);
  });

  it("links only guest identities", async () => {
    const response = await link(await tokenFor("linker-2"), await tokenFor("bob"));
    expect(response.status).toBe(403);
    expect((await viewOf(await tokenFor("bob"))).seq).toBe(0);
  });

  it("refuses a bad guest token naming the field, and a guest linking itself", async () => {
    const bad = await link(await tokenFor("linker-3"), "not-a-token");
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).message).toMatch(/^anonymousToken:/);
    const guest = await guestSession();
    const self = await link(guest.token, guest.token);
    expect(self.status).toBe(400);
  });
});
