import { describe, expect, it } from "vitest";
import type { Microphone, RecorderLike } from "../../../widget/core/voice.js";
import { VoiceApi, VoiceTurnError, recordingTypeFor, startRecording } from "../../../widget/core/voice.js";

type Handler = (url: string, init: RequestInit) => Response;

function api(handler: Handler) {
  const calls: { url: string; init: RequestInit }[] = [];
  const voice = new VoiceApi({
    baseUrl: "https://chat.example/",
    token: async () => "t0ken",
    pollMs: 1,
    fetch: async (url, init = {}) => {
      calls.push({ url, init });
      return handler(url, init);
    },
  });
  return { voice, calls };
}

const job = (status: string, extra: Record<string, unknown> = {}) =>
  Response.json({ jobId: "j1", status, attempts: { asr: 1, tts: 0 }, createdAt: 1, updatedAt: 1, ...extra });

describe("widget voice client", () => {
  it("offers voice only when the endpoint has it", async () => {
    const capabilities = { available: true, maxBytes: 5, contentTypes: ["audio/webm"], maxJobsInFlight: 3 };
    expect(await api(() => Response.json(capabilities)).voice.capabilities()).toEqual(capabilities);
    expect(await api(() => Response.json({ ...capabilities, available: false })).voice.capabilities()).toBeNull();
    expect(await api(() => new Response(null, { status: 403 })).voice.capabilities()).toBeNull();
  });

  it("sends the recording with its type and the bearer token", async () => {
    const { voice, calls } = api(() => Response.json({ jobId: "j1", status: "queued" }, { status: 202 }));
    expect(await voice.send(new Blob([new Uint8Array([1, 2])], { type: "audio/webm;codecs=opus" }))).toBe("j1");
    expect(calls[0]?.url).toBe("https://chat.example/v1/voice");
    const headers = new Headers(calls[0]?.init.headers);
    expect(headers.get("authorization")).toBe("Bearer t0ken");
    expect(headers.get("content-type")).toBe("audio/webm;codecs=opus");
  });

  it("turns a refusal into a VoiceTurnError with the code and Retry-After", async () => {
    const { voice } = api(() =>
      Response.json({ error: { code: "rate_limited", message: "3 voice turns are still in progress" } }, { status: 429, headers: { "retry-after": "5" } }),
    );
    const error = await voice.send(new Blob(["x"], { type: "audio/webm" })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VoiceTurnError);
    expect(error).toMatchObject({ code: "rate_limited", retryAfterSeconds: 5 });
  });

  it("follows a job to the end, reporting each status once, and fetches the audio", async () => {
    const statuses = ["queued", "transcribing", "transcribing", "replying", "synthesizing", "done"];
    const { voice } = api((url) =>
      url.endsWith("/audio")
        ? new Response(new Uint8Array([7]), { headers: { "content-type": "audio/mpeg" } })
        : job(statuses.shift() ?? "done", { audioUrl: "/v1/voice/j1/audio" }),
    );
    const seen: string[] = [];
    const done = await voice.waitFor("j1", (update) => seen.push(update.status));
    expect(seen).toEqual(["queued", "transcribing", "replying", "synthesizing", "done"]);
    const audio = await voice.audio(done);
    expect(audio.type).toBe("audio/mpeg");
    expect(new Uint8Array(await audio.arrayBuffer())).toEqual(new Uint8Array([7]));
  });

  it("picks the first recording type the browser supports", () => {
    expect(recordingTypeFor((type) => type === "audio/ogg;codecs=opus")).toBe("audio/ogg;codecs=opus");
    expect(recordingTypeFor(() => true)).toBe("audio/webm;codecs=opus");
    expect(recordingTypeFor(() => false)).toBeNull();
  });

  it("records until stop, then releases the microphone", async () => {
    let released = false;
    const listeners: Record<string, ((event: { data: Blob }) => void)[]> = {};
    const recorder: RecorderLike = {
      start: () => undefined,
      stop: () => {
        for (const listener of listeners["dataavailable"] ?? []) listener({ data: new Blob(["ab"]) });
        for (const listener of listeners["stop"] ?? []) listener({ data: new Blob() });
      },
      addEventListener: (type: string, listener: (event: { data: Blob }) => void) => void (listeners[type] ??= []).push(listener),
    };
    const microphone: Microphone = { open: async () => ({ stream: {}, release: () => void (released = true) }), recorder: () => recorder };
    const recording = await startRecording(microphone, "audio/webm");
    const blob = await recording.stop();
    expect(blob.type).toBe("audio/webm");
    expect(await blob.text()).toBe("ab");
    expect(released).toBe(true);
  });

  it("releases the microphone when the recorder cannot start", async () => {
    let released = false;
    const microphone: Microphone = {
      open: async () => ({ stream: {}, release: () => void (released = true) }),
      recorder: () => {
        throw new Error("NotSupportedError");
      },
    };
    await expect(startRecording(microphone, "audio/webm")).rejects.toThrow("NotSupportedError");
    expect(released).toBe(true);
  });
});
