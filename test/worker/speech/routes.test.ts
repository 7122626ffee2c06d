import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Env } from "../../../platform/env.js";
import { VOICE_MAX_BYTES } from "../../../src/protocol/voice.js";
import { gateway } from "../../../workers/gateway/app.js";
import { fakeRecording } from "../../fakes/openai-audio.js";
import { BASE, call, errorOf, tokenFor } from "../helpers.js";
import { postVoice, settled, speak, voiceToken } from "./voice-client.js";

const recording = fakeRecording({ say: "hello" });

describe("POST /v1/voice", { timeout: 30_000 }, () => {
  it("answers 202 with the job id at once, for each accepted audio type", async () => {
    for (const [i, type] of ["audio/wav", "audio/webm", "audio/ogg", "audio/mpeg", "audio/webm;codecs=opus"].entries()) {
      const token = await voiceToken(`voice-type-${i}`);
      const response = await postVoice(token, recording, type);
      expect(response.status).toBe(202);
      const body = (await response.json()) as { jobId: string; status: string; statusUrl: string };
      expect(body).toEqual({ jobId: expect.stringMatching(/^[0-9a-f-]{36}$/), status: "queued", statusUrl: `/v1/voice/${body.jobId}` });
      expect(response.headers.get("location")).toBe(body.statusUrl);
      expect((await settled(token, body.jobId)).status).toBe("done");
    }
  });

  it("refuses other content types with 415 and stores nothing", async () => {
    const token = await voiceToken("voice-415");
    for (const type of ["text/plain", "application/json", "audio/flac", "multipart/form-data; boundary=x", ""]) {
      const response = await postVoice(token, recording, type);
      expect(response.status).toBe(415);
      const error = await errorOf(response);
      expect(error.code).toBe("unsupported_media_type");
      expect(error.message).toContain("audio/wav, audio/webm, audio/ogg, audio/mpeg");
    }
    expect((await env.VOICE_AUDIO.list({ prefix: "voice/voice-415/" })).objects).toEqual([]);
  });

  it("refuses a recording over 5 MB with 413, declared or streamed", async () => {
    const token = await voiceToken("voice-413");
    const big = new Uint8Array(VOICE_MAX_BYTES + 1);
    const declared = await postVoice(token, big, "audio/wav");
    expect(declared.status).toBe(413);
    expect(await errorOf(declared)).toMatchObject({ code: "payload_too_large", message: expect.stringContaining("5 MB") });
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 6; i++) controller.enqueue(new Uint8Array(1024 * 1024));
        controller.close();
      },
    });
    const streamed = await postVoice(token, stream, "audio/wav");
    expect(streamed.status).toBe(413);
    expect((await env.VOICE_AUDIO.list({ prefix: "voice/voice-413/" })).objects).toEqual([]);
    const exact = await postVoice(token, new Uint8Array(VOICE_MAX_BYTES), "audio/wav");
    expect(exact.status).toBe(202);
  });

  it("refuses an empty body with 400", async () => {
    const response = await postVoice(await voiceToken("voice-empty"), new Uint8Array(), "audio/wav");
    expect(response.status).toBe(400);
    expect((await errorOf(response)).code).toBe("invalid_request");
  });

  it("needs a token with the voice scope", async () => {
    expect((await call("/v1/voice", { method: "POST", body: recording, headers: { "content-type": "audio/wav" } })).status).toBe(401);
    const chatOnly = await tokenFor("voice-chat-only", ["chat"]);
    const response = await postVoice(chatOnly, recording, "audio/wav");
    expect(response.status).toBe(403);
    expect((await errorOf(response)).message).toContain('"voice"');
  });

  it("answers 503 with how to configure it when no provider is set", async () => {
    const token = await voiceToken("voice-unconfigured");
    for (const unconfigured of [{ SPEECH_PROVIDER: "" }, { SPEECH_PROVIDER: "openai", SPEECH_BASE_URL: "" }]) {
      const request = new Request(`${BASE}/v1/voice`, {
        method: "POST",
        body: recording,
        headers: { authorization: `Bearer ${token}`, "content-type": "audio/wav" },
      });
      const response = await gateway.fetch(request, { ...env, ...unconfigured } as Env, createExecutionContext());
      expect(response.status).toBe(503);
      const error = await errorOf(response);
      expect(error.code).toBe("unavailable");
      expect(error.message).toMatch(/SPEECH_PROVIDER|SPEECH_BASE_URL/);
    }
    expect((await env.VOICE_AUDIO.list({ prefix: "voice/voice-unconfigured/" })).objects).toEqual([]);
  });

  it("answers 429 with Retry-After to a fourth job in flight, and takes it once one is done", async () => {
    const userId = "voice-busy";
    const token = await voiceToken(userId);
    const jobs = [];
    for (let i = 0; i < 3; i++) jobs.push(await speak(token, { say: "hello", key: `busy-${i}`, delayMs: 1500 }));
    const refused = await postVoice(token, fakeRecording({ say: "hello", key: "busy-3" }));
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("5");
    expect(await errorOf(refused)).toMatchObject({ code: "rate_limited", message: expect.stringContaining("3 voice turns") });
    // The refused recording is not kept: only the three accepted jobs have files.
    expect((await env.VOICE_AUDIO.list({ prefix: `voice/${userId}/` })).objects).toHaveLength(3);
    const otherToken = await voiceToken("voice-not-busy");
    const other = await postVoice(otherToken, recording);
    expect(other.status).toBe(202);
    for (const jobId of jobs) expect((await settled(token, jobId)).status).toBe("done");
    const after = await postVoice(token, recording);
    expect(after.status).toBe(202);
    // Let every job finish inside the test: a consumer still logging after it ends is an unhandled error.
    for (const [owner, response] of [
      [otherToken, other],
      [token, after],
    ] as const) {
      const { jobId } = (await response.json()) as { jobId: string };
      expect((await settled(owner, jobId)).status).toBe("done");
    }
  });
});

describe("GET /v1/voice", () => {
  it("tells a client whether to offer voice, and the limits", async () => {
    const token = await voiceToken("voice-capabilities");
    const response = await call("/v1/voice", { token });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      available: true,
      maxBytes: VOICE_MAX_BYTES,
      contentTypes: ["audio/wav", "audio/webm", "audio/ogg", "audio/mpeg"],
      maxJobsInFlight: 3,
    });
    const request = new Request(`${BASE}/v1/voice`, { headers: { authorization: `Bearer ${token}` } });
    const unconfigured = await gateway.fetch(request, { ...env, SPEECH_PROVIDER: "" } as Env, createExecutionContext());
    expect(((await unconfigured.json()) as { available: boolean }).available).toBe(false);
    expect((await call("/v1/voice", { token: await tokenFor("voice-capabilities-chat", ["chat"]) })).status).toBe(403);
  });
});

describe("GET /v1/voice/:jobId", () => {
  it("answers 404 for an unknown job and 400 for a malformed id", async () => {
    const token = await voiceToken("voice-lookup");
    expect((await call(`/v1/voice/${crypto.randomUUID()}`, { token })).status).toBe(404);
    const malformed = await call("/v1/voice/not-a-uuid", { token });
    expect(malformed.status).toBe(400);
    expect((await errorOf(malformed)).message).toContain("jobId");
    expect((await call("/v1/voice/not-a-uuid/audio", { token })).status).toBe(404);
  });

  it("is in the OpenAPI document", async () => {
    const doc = (await (await call("/openapi.json")).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths["/v1/voice"] ?? {})).toContain("post");
    expect(Object.keys(doc.paths["/v1/voice/{jobId}"] ?? {})).toContain("get");
    expect(Object.keys(doc.paths["/v1/voice/{jobId}/audio"] ?? {})).toContain("get");
    expect(Object.keys(doc.paths["/v1/voice/{jobId}/retry"] ?? {})).toContain("post");
  });
});
