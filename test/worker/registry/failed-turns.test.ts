import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ConversationActor } from "../../../durable-objects/conversation/conversation-actor.js";
import { call, tokenFor } from "../helpers.js";
import { adminToken, eventually, turn } from "./fixtures.js";

interface Counters {
  turns: number;
  errors: number;
}

async function countersOf(version: string): Promise<Counters> {
  const response = await call("/v1/admin/bots/shop", { token: await adminToken() });
  const { versions } = (await response.json()) as { versions: { version: string; counters: Counters }[] };
  return versions.find((entry) => entry.version === version)?.counters ?? { turns: 0, errors: 0 };
}

describe("a turn that fails", () => {
  it("counts as an error of the version it ran on, so stable and canary can be compared on it", async () => {
    const user = await tokenFor("faulty-storage-user");
    expect((await turn(user, "hello")).botVersion).toBe("1");
    await eventually(async () => ((await countersOf("1")).turns >= 1 ? true : undefined));
    const before = await countersOf("1");

    // Fault injection: this user's actor can no longer seal its events (as with a broken key).
    await runInDurableObject(env.CONVERSATION.getByName("faulty-storage-user"), (actor: ConversationActor) => {
      const log = (actor as unknown as { log: { seal: () => Promise<never> } }).log;
      log.seal = () => Promise.reject(new Error("injected sealing fault"));
    });
    const failed = await call("/v1/messages", { method: "POST", token: user, json: { text: "hello again", clientMessageId: "f1" } });
    expect(failed.status).toBe(500);
    expect(((await failed.json()) as { error: { code: string } }).error.code).toBe("internal");

    const after = await eventually(async () => {
      const counters = await countersOf("1");
      return counters.errors > before.errors ? counters : undefined;
    });
    expect(after.value).toMatchObject({ turns: before.turns + 1, errors: before.errors + 1 });
  });
});
