import { describe, expect, it } from "vitest";
import { PING_FRAME, isTerminalCloseCode, parseClientFrame, serverFrameSchema } from "../../../src/protocol/frames.js";

describe("parseClientFrame", () => {
  it("reads hello, say and ping", () => {
    expect(parseClientFrame('{"type":"hello","since":7}')).toEqual({ ok: true, frame: { type: "hello", since: 7 } });
    expect(parseClientFrame('{"type":"say","text":"hi","clientMessageId":"c-1"}')).toEqual({
      ok: true,
      frame: { type: "say", text: "hi", clientMessageId: "c-1" },
    });
    expect(parseClientFrame(PING_FRAME)).toEqual({ ok: true, frame: { type: "ping" } });
  });

  it.each([
    ["not JSON", "hello", /not valid JSON/],
    ["an unknown type", '{"type":"shout"}', /^type: /],
    ["a JSON array", "[1]", /^frame: /],
    ["a negative since", '{"type":"hello","since":-1}', /^since: /],
    ["blank text", '{"type":"say","text":"  ","clientMessageId":"c1"}', /^text: must not be empty/],
    ["a bad clientMessageId", '{"type":"say","text":"hi","clientMessageId":"no spaces"}', /^clientMessageId: /],
    ["a missing clientMessageId", '{"type":"say","text":"hi"}', /^clientMessageId: /],
    ["an unknown field", '{"type":"ping","extra":1}', /Unrecognized key/],
  ])("refuses %s with an invalid_request error frame", (_name, raw, message) => {
    const parsed = parseClientFrame(raw);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.type).toBe("error");
    expect(parsed.error.code).toBe("invalid_request");
    expect(parsed.error.message).toMatch(message);
  });

  it("names the say an over-long text came in, so the client knows which message failed", () => {
    const parsed = parseClientFrame(JSON.stringify({ type: "say", text: "x".repeat(2001), clientMessageId: "long-1" }));
    expect(parsed).toMatchObject({ ok: false, error: { code: "invalid_request", clientMessageId: "long-1" } });
  });

  it("refuses binary frames and huge frames without parsing them", () => {
    expect(parseClientFrame(new ArrayBuffer(4))).toMatchObject({ ok: false, error: { message: /binary/ } });
    expect(parseClientFrame(`{"type":"say","text":"${"x".repeat(20_000)}"}`)).toMatchObject({ ok: false, error: { message: /longer than/ } });
  });
});

describe("server frames", () => {
  it("discriminate on type", () => {
    expect(serverFrameSchema.parse({ type: "message", seq: 2, role: "bot", text: "hi", at: 1, quickReplies: ["A"] })).toMatchObject({ seq: 2 });
    expect(serverFrameSchema.safeParse({ type: "message", seq: 2, role: "admin", text: "hi", at: 1 }).success).toBe(false);
    expect(serverFrameSchema.parse({ type: "error", code: "invalid_request", message: "m" }).type).toBe("error");
  });

  it("4400–4499 closes tell the client not to retry with the same credentials", () => {
    expect(isTerminalCloseCode(4401)).toBe(true);
    expect(isTerminalCloseCode(4403)).toBe(true);
    expect(isTerminalCloseCode(1006)).toBe(false);
    expect(isTerminalCloseCode(1011)).toBe(false);
    expect(isTerminalCloseCode(4000)).toBe(false);
  });
});
