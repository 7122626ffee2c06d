import { expect } from "vitest";
import type { VoiceJobView } from "../../../src/protocol/voice.js";
import type { Directive } from "../../fakes/openai-audio.js";
import { FAKE_SPEECH_ORIGIN, fakeRecording } from "../../fakes/openai-audio.js";
import { call, tokenFor } from "../helpers.js";

/** A token that may talk (chat) and speak (voice), as the widget's would. */
export function voiceToken(userId: string): Promise<string> {
  return tokenFor(userId, ["chat", "voice"]);
}

export function postVoice(token: string, body: BodyInit, contentType = "audio/webm;codecs=opus"): Promise<Response> {
  return call("/v1/voice", { method: "POST", token, body, headers: { "content-type": contentType } });
}

/** Sends a fake recording and returns the job id of the 202. */
export async function speak(token: string, directive: Directive): Promise<string> {
  const response = await postVoice(token, fakeRecording(directive));
  expect(response.status).toBe(202);
  return ((await response.json()) as { jobId: string }).jobId;
}

export async function jobOf(token: string, jobId: string): Promise<VoiceJobView> {
  const response = await call(`/v1/voice/${jobId}`, { token });
  expect(response.status).toBe(200);
  return (await response.json()) as VoiceJobView;
}

/** Polls the job until it is done or failed (the first queue delivery of a run takes a few seconds). */
export async function settled(token: string, jobId: string, timeoutMs = 15_000): Promise<VoiceJobView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await jobOf(token, jobId);
    if (job.status === "done" || job.status === "failed") return job;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.status}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** How often the fake provider was asked to transcribe recordings with this key. */
export async function transcriptionsOf(key: string): Promise<number> {
  return ((await (await fetch(`${FAKE_SPEECH_ORIGIN}/__fake/calls?key=${encodeURIComponent(key)}`)).json()) as { asr: number }).asr;
}

/** The `model` of each transcription request of recordings with this key, in order. */
export async function transcriptionModelsOf(key: string): Promise<string[]> {
  return ((await (await fetch(`${FAKE_SPEECH_ORIGIN}/__fake/calls?key=${encodeURIComponent(key)}`)).json()) as { asrModels: string[] }).asrModels;
}

/** The `model` and `voice` of each synthesis request of exactly this text, in order. */
export async function synthesesOf(input: string): Promise<{ model: string; voice: string }[]> {
  return (await (await fetch(`${FAKE_SPEECH_ORIGIN}/__fake/syntheses?input=${encodeURIComponent(input)}`)).json()) as { model: string; voice: string }[];
}

/** The next `count` syntheses of exactly this text fail with 502. */
export async function failSyntheses(input: string, count: number): Promise<void> {
  await fetch(`${FAKE_SPEECH_ORIGIN}/__fake/tts-failures`, { method: "POST", body: JSON.stringify({ input, count }) });
}

export async function historyOf(token: string): Promise<{ role: string; text: string }[]> {
  const response = await call("/v1/conversation/messages?after=0&limit=200", { token });
  return ((await response.json()) as { messages: { role: string; text: string }[] }).messages;
}
