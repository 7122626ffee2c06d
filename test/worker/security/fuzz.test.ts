import { env } from "cloudflare:workers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { clientFrameSchema } from "../../../src/protocol/frames.js";
import { postMessageBodySchema } from "../../../src/protocol/messages.js";
import { voiceContentTypeOf } from "../../../src/protocol/voice.js";
import { call, tokenFor } from "../helpers.js";
import { openSocket } from "../ws-client.js";

/**
 * Property: whatever a client sends, the answer is a 4xx with the error shape of docs/api.md (never a
 * 5xx), and nothing changes. Thousands of generated bodies across the routes that take one.
 */
const CONTENT_TYPES = [
  "application/json",
  "application/json; charset=utf-8",
  "text/plain",
  "",
  "application/x-www-form-urlencoded",
  "multipart/form-data",
  "application/xml",
];

const rawBody = fc.oneof(
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc.string({ maxLength: 300 }),
  fc.record({ text: fc.anything(), clientMessageId: fc.anything() }, { requiredKeys: [] }).map((value) => {
    try {
      return JSON.stringify(value);
    } catch {
      return "{}";
    }
  }),
  fc.constantFrom("{", "[", "null", '{"text":', '{"text":"\u0000"}', '{"text":""}', `{"text":"${"x".repeat(2001)}"}`, '{"__proto__":{"admin":true}}'),
);

async function expectRefused(response: Response): Promise<void> {
  expect(response.status).toBeGreaterThanOrEqual(400);
  expect(response.status).toBeLessThan(500);
  const body = (await response.json()) as { error?: { code?: unknown; message?: unknown; requestId?: unknown } };
  expect(typeof body.error?.code).toBe("string");
  expect(typeof body.error?.message).toBe("string");
}

function isValidMessage(body: string, contentType: string): boolean {
  if (!["application/json", "application/json; charset=utf-8", "text/plain", "", "application/x-www-form-urlencoded"].includes(contentType)) return false;
  try {
    return postMessageBodySchema.safeParse(JSON.parse(body)).success;
  } catch {
    return false;
  }
}

describe("generated bad input", { timeout: 120_000 }, () => {
  it("POST /v1/messages: never a 5xx, never a stored message", async () => {
    const token = await tokenFor("fuzzed-user");
    await fc.assert(
      fc.asyncProperty(rawBody, fc.constantFrom(...CONTENT_TYPES), async (body, contentType) => {
        fc.pre(!isValidMessage(body, contentType));
        const headers: Record<string, string> = contentType ? { "content-type": contentType } : {};
        await expectRefused(await call("/v1/messages", { method: "POST", token, body, headers }));
      }),
      { numRuns: 1500 },
    );
    const view = (await (await call("/v1/conversation", { token })).json()) as { seq: number };
    expect(view.seq).toBe(0);
  });

  it("POST /v1/identity/link: never a 5xx, nothing merged", async () => {
    const token = await tokenFor("fuzzed-linker");
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          rawBody,
          fc.string().map((anonymousToken) => JSON.stringify({ anonymousToken })),
        ),
        async (body) => {
          await expectRefused(await call("/v1/identity/link", { method: "POST", token, body, headers: { "content-type": "application/json" } }));
        },
      ),
      { numRuns: 500 },
    );
    expect(((await (await call("/v1/conversation", { token })).json()) as { seq: number }).seq).toBe(0);
  });

  it("admin bodies (publish, rollout, parse): never a 5xx, the registry unchanged", async () => {
    const token = await tokenFor("fuzzing-admin", ["admin"]);
    const before = await (await call("/v1/admin/bots/shop", { token })).text();
    const routes: [string, string][] = [
      ["PUT", "/v1/admin/bots/shop/versions/fuzz"],
      ["PUT", "/v1/admin/bots/shop/rollout"],
      ["POST", "/v1/admin/bots/shop/parse"],
    ];
    const definitionish = fc
      .record(
        { id: fc.constantFrom("shop", "x"), version: fc.constantFrom("fuzz", "1"), intents: fc.anything(), flows: fc.anything(), slots: fc.anything() },
        { requiredKeys: [] },
      )
      .map((value) => JSON.stringify(value) ?? "{}");
    const rolloutish = fc.record({ stable: fc.anything(), canary: fc.anything() }, { requiredKeys: [] }).map((value) => JSON.stringify(value) ?? "{}");
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), fc.oneof(rawBody, definitionish, rolloutish), async ([method, path], body) => {
        const response = await call(path, { method, token, body, headers: { "content-type": "application/json" } });
        if (response.status === 200 && path.endsWith("/parse")) return; // a parse of any text is a valid answer
        await expectRefused(response);
      }),
      { numRuns: 800 },
    );
    const after = await (await call("/v1/admin/bots/shop", { token })).text();
    expect(JSON.parse(after)).toEqual(JSON.parse(before));
  });
});

describe("generated bad WebSocket frames", { timeout: 120_000 }, () => {
  it("get an error frame each, the socket stays usable, nothing is stored", async () => {
    const token = await tokenFor("fuzzed-socket");
    const socket = await openSocket(token);
    const frame = fc.oneof(
      rawBody,
      fc
        .record(
          {
            type: fc.constantFrom("hello", "say", "ping", "pong", "message", "HELLO", ""),
            since: fc.anything(),
            text: fc.anything(),
            clientMessageId: fc.anything(),
          },
          { requiredKeys: ["type"] },
        )
        .map((value) => JSON.stringify(value) ?? "{}"),
    );
    const isValid = (raw: string) => {
      try {
        return clientFrameSchema.safeParse(JSON.parse(raw)).success;
      } catch {
        return false;
      }
    };
    const sent = fc.sample(
      frame.filter((raw) => !isValid(raw)),
      1000,
    );
    for (const raw of sent) socket.send(raw);
    await socket.until((frames) => frames.filter((f) => f.type === "error").length >= sent.length, "an error frame per bad frame", 30_000);
    socket.send({ type: "ping" });
    await socket.until((frames) => frames.some((f) => f.type === "pong"), "pong");
    expect(socket.messages()).toHaveLength(0);
    socket.close();
    expect(((await (await call("/v1/conversation", { token })).json()) as { seq: number }).seq).toBe(0);
  });
});

describe("generated bad voice uploads", { timeout: 120_000 }, () => {
  it("POST /v1/voice with other content types or no audio: never a 5xx, no job, no stored audio", async () => {
    const token = await tokenFor("fuzzed-speaker", ["chat", "voice"]);
    const notAudio = fc
      .oneof(
        fc.constantFrom("", "text/plain", "application/json", "audio/flac", "video/webm", "multipart/form-data", "audio", "audio/"),
        fc.string({ maxLength: 40 }),
      )
      .filter((type) => voiceContentTypeOf(type) === null);
    await fc.assert(
      fc.asyncProperty(notAudio, fc.uint8Array({ maxLength: 512 }), async (contentType, bytes) => {
        const headers: Record<string, string> = contentType ? { "content-type": contentType } : {};
        await expectRefused(await call("/v1/voice", { method: "POST", token, body: bytes, headers }));
      }),
      { numRuns: 300 },
    );
    await expectRefused(await call("/v1/voice", { method: "POST", token, body: new Uint8Array(), headers: { "content-type": "audio/wav" } }));
    expect((await env.VOICE_AUDIO.list({ prefix: "voice/fuzzed-speaker/" })).objects).toHaveLength(0);
  });
});
