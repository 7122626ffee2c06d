import { describe, expect, it } from "vitest";
import type { OpenAiSpeechConfig } from "../../../src/speech/config.js";
import type { FetchLike } from "../../../src/speech/openai.js";
import { TTS_INPUT_MAX, createOpenAiSpeech } from "../../../src/speech/openai.js";
import { SpeechProviderError } from "../../../src/speech/provider.js";

const config: OpenAiSpeechConfig = {
  provider: "openai",
  baseUrl: "http://speech.local/v1",
  apiKey: "sk-test",
  asrModel: "whisper-1",
  ttsModel: "tts-1",
  voice: "alloy",
  format: "mp3",
  language: "en",
  timeoutMs: 1000,
};

interface Seen {
  url: string;
  init: RequestInit;
}

function fakeFetch(answer: (seen: Seen) => Response | Promise<Response>): { fetch: FetchLike; seen: Seen[] } {
  const seen: Seen[] = [];
  return {
    seen,
    fetch: async (url, init) => {
      seen.push({ url, init });
      return answer({ url, init });
    },
  };
}

const clip = { bytes: new Uint8Array([1, 2, 3]), contentType: "audio/webm;codecs=opus" };

describe("OpenAI-compatible speech", () => {
  it("transcribes with a multipart upload of the file, model and language", async () => {
    const fake = fakeFetch(() => Response.json({ text: "hello there" }));
    expect(await createOpenAiSpeech(config, fake.fetch).transcribe(clip)).toBe("hello there");
    const [call] = fake.seen;
    expect(call?.url).toBe("http://speech.local/v1/audio/transcriptions");
    expect(call?.init.method).toBe("POST");
    expect(new Headers(call?.init.headers).get("authorization")).toBe("Bearer sk-test");
    const form = call?.init.body as FormData;
    const file = form.get("file") as unknown as File;
    expect(file.name).toBe("speech.webm");
    expect(file.type).toBe("audio/webm;codecs=opus");
    expect([...new Uint8Array(await file.arrayBuffer())]).toEqual([1, 2, 3]);
    expect(form.get("model")).toBe("whisper-1");
    expect(form.get("language")).toBe("en");
    expect(form.get("response_format")).toBe("json");
  });

  it("sends no Authorization header to a server without a key", async () => {
    const fake = fakeFetch(() => Response.json({ text: "" }));
    await createOpenAiSpeech({ ...config, apiKey: undefined }, fake.fetch).transcribe(clip);
    expect(new Headers(fake.seen[0]?.init.headers).has("authorization")).toBe(false);
  });

  it("synthesizes with a JSON request and returns the audio bytes and type", async () => {
    const fake = fakeFetch(() => new Response(new Uint8Array([9, 8, 7]), { headers: { "content-type": "audio/mpeg" } }));
    const audio = await createOpenAiSpeech(config, fake.fetch).synthesize("Hi!");
    expect(audio).toEqual({ bytes: new Uint8Array([9, 8, 7]), contentType: "audio/mpeg" });
    const [call] = fake.seen;
    expect(call?.url).toBe("http://speech.local/v1/audio/speech");
    expect(new Headers(call?.init.headers).get("content-type")).toBe("application/json");
    expect(JSON.parse(String(call?.init.body))).toEqual({ model: "tts-1", input: "Hi!", voice: "alloy", response_format: "mp3" });
  });

  it("derives the audio type from the format when the server does not say", async () => {
    const fake = fakeFetch(() => new Response(new Uint8Array([1]), { headers: { "content-type": "application/octet-stream" } }));
    expect((await createOpenAiSpeech({ ...config, format: "opus" }, fake.fetch).synthesize("x")).contentType).toBe("audio/ogg");
  });

  it("cuts the TTS input to what the API accepts", async () => {
    const fake = fakeFetch(() => new Response(new Uint8Array([1])));
    await createOpenAiSpeech(config, fake.fetch).synthesize("a".repeat(TTS_INPUT_MAX + 10));
    expect((JSON.parse(String(fake.seen[0]?.init.body)) as { input: string }).input).toHaveLength(TTS_INPUT_MAX);
  });

  it("classifies failures: server errors and rate limits retry, client errors do not", async () => {
    const cases: [number, boolean][] = [
      [500, true],
      [502, true],
      [503, true],
      [429, true],
      [408, true],
      [400, false],
      [401, false],
      [413, false],
    ];
    for (const [status, retryable] of cases) {
      const fake = fakeFetch(() => Response.json({ error: { message: `nope ${status}` } }, { status }));
      const error = await createOpenAiSpeech(config, fake.fetch)
        .transcribe(clip)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SpeechProviderError);
      expect(error).toMatchObject({ retryable, status, message: expect.stringContaining(`nope ${status}`) });
    }
  });

  it("treats a network error, a missing text and an empty audio body as transient", async () => {
    const down: FetchLike = () => Promise.reject(new TypeError("fetch failed"));
    await expect(createOpenAiSpeech(config, down).transcribe(clip)).rejects.toMatchObject({ retryable: true });
    const odd = fakeFetch(() => Response.json({ nothing: true }));
    await expect(createOpenAiSpeech(config, odd.fetch).transcribe(clip)).rejects.toMatchObject({ retryable: true });
    const empty = fakeFetch(() => new Response(new Uint8Array()));
    await expect(createOpenAiSpeech(config, empty.fetch).synthesize("x")).rejects.toMatchObject({ retryable: true });
  });

  it("gives up on a server slower than the timeout", async () => {
    const slow: FetchLike = (_url, init) => new Promise((_resolve, reject) => init.signal?.addEventListener("abort", () => reject(init.signal?.reason)));
    const error = await createOpenAiSpeech({ ...config, timeoutMs: 20 }, slow)
      .transcribe(clip)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "SpeechProviderError", retryable: true });
  });
});
