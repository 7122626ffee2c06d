import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ConversationActor } from "../../../durable-objects/conversation/conversation-actor.js";
import { call } from "../helpers.js";
import { settled, speak, voiceToken } from "./voice-client.js";

/** Every row the user's actor stores, voice jobs included: what someone with the SQLite file would read. */
function rawStorage(userId: string): Promise<string> {
  return runInDurableObject(env.CONVERSATION.getByName(userId), (_: ConversationActor, state) => {
    const tables = state.storage.sql
      .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'")
      .toArray()
      .map((row) => row.name);
    expect(tables).toContain("voice_jobs");
    return tables.map((table) => JSON.stringify(state.storage.sql.exec(`SELECT * FROM ${table}`).toArray())).join("\n");
  });
}

describe("a spoken phone number", () => {
  it("is stored sealed in the job and the log, and shown masked by the job, history and export alike", async () => {
    const token = await voiceToken("voice-phone");
    const jobId = await speak(token, { say: "my phone is 139 8765 0123 please call me", key: "voice-phone" });
    const job = await settled(token, jobId);
    expect(job.status).toBe("done");
    expect(job.transcript).toContain("***");
    expect(job.transcript).not.toMatch(/8765/);

    const stored = await rawStorage("voice-phone");
    expect(stored).not.toMatch(/139 ?8765 ?0123/);

    const history = await (await call("/v1/conversation/messages", { token })).text();
    expect(history).not.toMatch(/8765/);
    const exported = await (await call("/v1/conversation/export", { token })).text();
    expect(exported).toContain("139 8765 0123");
  });
});
