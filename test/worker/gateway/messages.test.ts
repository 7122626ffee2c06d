import { describe, expect, it } from "vitest";
import { call, say, tokenFor } from "../helpers.js";

describe("POST /v1/messages", () => {
  it("answers a turn with the bot's reply, its seq and the bot version", async () => {
    const token = await tokenFor("smoke-user");
    const response = await say(token, "hello", "m1");
    expect(response.status).toBe(200);
    const body = (await response.json()) as { seq: number; reply: { text: string }; duplicate: boolean; botVersion: string };
    expect(body.duplicate).toBe(false);
    expect(body.seq).toBeGreaterThan(1);
    expect(body.reply.text.length).toBeGreaterThan(0);
    expect(body.botVersion).toBe("1");
    expect(response.headers.get("x-request-id")).toBeTruthy();
    expect(response.headers.get("traceparent")).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/);
  });

  it("serves /healthz without a token", async () => {
    const response = await call("/healthz");
    expect(await response.json()).toEqual({ ok: true, version: expect.any(String) });
  });
});
