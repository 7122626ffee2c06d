/**
 * A fake OpenAI-compatible audio server for the worker tests. It runs in Node (vitest's
 * `outboundService`): every `fetch` the Worker makes to FAKE_SPEECH_ORIGIN lands here,
 * anything else passes through.
 *
 * A test controls it through the recording itself: the "audio" is a JSON directive
 * (optionally after a RIFF header), so tests running side by side never share state.
 *   { "say": "hello", "key": "job-1", "fail": 2, "status": 503 }
 * → fails the first 2 transcriptions of key "job-1" with 503, then transcribes "hello".
 * `"fail": "always"` never recovers; `"delayMs": 2000` answers late (jobs stay in flight). Speech synthesis answers `FAKE-AUDIO:<voice>:<input>`
 * as audio/mpeg, after failing as many times as POST /__fake/tts-failures { input, count } asked
 * for that input text. Every request's model (and voice) is recorded: GET /__fake/calls?key= lists
 * the ASR models a key's transcriptions named, GET /__fake/syntheses?input= the model and voice of
 * each synthesis of that text.
 */
export const FAKE_SPEECH_ORIGIN = "http://speech.test";
export const FAKE_SPEECH_API_KEY = "test-speech-key";

export interface Directive {
  say?: string;
  key?: string;
  fail?: number | "always";
  status?: number;
  delayMs?: number;
}

interface FakeState {
  /** Transcription requests per directive key, failed ones included. */
  asrCalls: Map<string, number>;
  /** The `model` of each transcription request, per directive key. */
  asrModels: Map<string, string[]>;
  ttsCalls: number;
  /** The `model` and `voice` of each synthesis request, per input text. */
  syntheses: Map<string, { model: string; voice: string }[]>;
  /** Failures still to answer, per TTS input text. */
  ttsFailures: Map<string, number>;
}

/** Bytes a test sends as a "recording": a WAV header, then the directive. */
export function fakeRecording(directive: Directive): Uint8Array {
  return new TextEncoder().encode(`RIFF\0\0\0\0WAVEfmt ${JSON.stringify(directive)}`);
}

export function createFakeOpenAiAudio(): (request: Request) => Promise<Response | null> {
  const state: FakeState = { asrCalls: new Map(), asrModels: new Map(), ttsCalls: 0, syntheses: new Map(), ttsFailures: new Map() };
  return async (request) => {
    const url = new URL(request.url);
    if (url.origin !== FAKE_SPEECH_ORIGIN) return null;
    if (url.pathname.startsWith("/__fake/")) return control(url, request, state);
    if (request.headers.get("authorization") !== `Bearer ${FAKE_SPEECH_API_KEY}`) return openAiError(401, "invalid api key");
    if (request.method === "POST" && url.pathname === "/v1/audio/transcriptions") return transcribe(request, state);
    if (request.method === "POST" && url.pathname === "/v1/audio/speech") return speak(request, state);
    return openAiError(404, `no route ${request.method} ${url.pathname}`);
  };
}

async function transcribe(request: Request, state: FakeState): Promise<Response> {
  const form = await request.formData();
  const file: unknown = form.get("file");
  if (!(file instanceof Blob) || !form.get("model")) return openAiError(400, "file and model are required");
  const directive = directiveOf(new TextDecoder().decode(await file.arrayBuffer()));
  const key = directive.key ?? "";
  const calls = (state.asrCalls.get(key) ?? 0) + 1;
  state.asrCalls.set(key, calls);
  state.asrModels.set(key, [...(state.asrModels.get(key) ?? []), String(form.get("model"))]);
  if (directive.delayMs) await new Promise((resolve) => setTimeout(resolve, directive.delayMs));
  if (directive.fail === "always" || calls <= (directive.fail ?? 0)) return openAiError(directive.status ?? 503, "the fake is failing on purpose");
  return Response.json({ text: directive.say ?? "hello" });
}

async function speak(request: Request, state: FakeState): Promise<Response> {
  const body = (await request.json()) as { model?: string; input?: string; voice?: string };
  if (!body.model || !body.input || !body.voice) return openAiError(400, "model, input and voice are required");
  state.ttsCalls++;
  state.syntheses.set(body.input, [...(state.syntheses.get(body.input) ?? []), { model: body.model, voice: body.voice }]);
  const failures = state.ttsFailures.get(body.input) ?? 0;
  if (failures > 0) {
    state.ttsFailures.set(body.input, failures - 1);
    return openAiError(502, "the fake is failing on purpose");
  }
  return new Response(`FAKE-AUDIO:${body.voice}:${body.input}`, { headers: { "content-type": "audio/mpeg" } });
}

/** `GET /__fake/calls?key=`, `GET /__fake/syntheses?input=` and `POST /__fake/tts-failures { input, count }`: what tests read and arrange. */
async function control(url: URL, request: Request, state: FakeState): Promise<Response> {
  if (url.pathname === "/__fake/calls") {
    const key = url.searchParams.get("key") ?? "";
    return Response.json({ asr: state.asrCalls.get(key) ?? 0, asrModels: state.asrModels.get(key) ?? [], tts: state.ttsCalls });
  }
  if (url.pathname === "/__fake/syntheses") return Response.json(state.syntheses.get(url.searchParams.get("input") ?? "") ?? []);
  if (url.pathname === "/__fake/tts-failures" && request.method === "POST") {
    const { input, count } = (await request.json()) as { input?: unknown; count?: unknown };
    state.ttsFailures.set(String(input), Number(count) || 0);
    return Response.json({ ok: true });
  }
  return new Response("unknown control route", { status: 404 });
}

function directiveOf(text: string): Directive {
  const start = text.indexOf("{");
  if (start < 0) return {};
  try {
    return JSON.parse(text.slice(start)) as Directive;
  } catch {
    return {};
  }
}

function openAiError(status: number, message: string): Response {
  return Response.json({ error: { message, type: "fake_error" } }, { status });
}
