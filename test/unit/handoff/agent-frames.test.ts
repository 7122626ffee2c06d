import { describe, expect, it } from "vitest";
import { replyBodySchema } from "../../../src/protocol/agent.js";
import { agentServerFrameSchema, parseAgentFrame } from "../../../src/protocol/agent-frames.js";

describe("agent socket frames", () => {
  it("reads every client frame the /agent page sends", () => {
    const entryId = "AbCdEfGh12345678";
    const frames = [
      { type: "presence", status: "away" },
      { type: "claim", entryId },
      { type: "reply", entryId, messageId: "m-1", text: "Hello, I'm Anna." },
      { type: "typing", entryId },
      { type: "note", entryId, noteId: "n-1", text: "asked for a refund twice" },
      { type: "transfer", entryId, toQueue: "orders" },
      { type: "end", entryId },
      { type: "ping" },
    ];
    for (const frame of frames) expect(parseAgentFrame(JSON.stringify(frame))).toEqual({ ok: true, frame });
  });

  it("answers a bad frame with an error frame that names the field, never a throw", () => {
    const answer = parseAgentFrame(JSON.stringify({ type: "reply", entryId: "AbCdEfGh12345678", messageId: "m 1", text: "hi" }));
    expect(answer).toEqual({ ok: false, error: { type: "error", code: "invalid_request", message: expect.stringContaining("messageId") } });
    expect(parseAgentFrame("{")).toMatchObject({ ok: false, error: { message: "frame is not valid JSON" } });
    expect(parseAgentFrame(new ArrayBuffer(2))).toMatchObject({ ok: false });
    expect(parseAgentFrame(JSON.stringify({ type: "claim", entryId: "x" }))).toMatchObject({ ok: false });
    expect(parseAgentFrame(JSON.stringify({ type: "presence", status: "busy" }))).toMatchObject({ ok: false });
  });

  it("server frames are one discriminated union", () => {
    expect(agentServerFrameSchema.safeParse({ type: "entry", entryId: "AbCdEfGh12345678", entry: null }).success).toBe(true);
    expect(agentServerFrameSchema.safeParse({ type: "released", entryId: "AbCdEfGh12345678", reason: "resolved" }).success).toBe(true);
    expect(agentServerFrameSchema.safeParse({ type: "released", entryId: "AbCdEfGh12345678", reason: "lost" }).success).toBe(false);
  });

  it("a reply is user-sized text with a page-made id", () => {
    expect(replyBodySchema.safeParse({ messageId: "m-1", text: "   " }).success).toBe(false);
    expect(replyBodySchema.safeParse({ messageId: "m-1", text: "x".repeat(2001) }).success).toBe(false);
    expect(replyBodySchema.safeParse({ messageId: "m-1", text: "ok", extra: 1 }).success).toBe(false);
  });
});
