import type { Env } from "../../platform/env.js";
import { logEvent } from "../../platform/log.js";
import { replyAudioKey } from "../../src/speech/audio-keys.js";
import type { VoiceMessage } from "../../src/speech/messages.js";
import { runOf } from "../../src/speech/messages.js";
import { conversationOf } from "../gateway/actors.js";
import type { ProviderFor } from "./provider.js";

/**
 * One TTS delivery: the job's reply text → provider → audio in R2 → job done. Safe to
 * repeat: the audio has one fixed key per job (a repeat overwrites, never adds a file), and
 * a job that is already done is skipped before the provider is asked. The model and voice are
 * the ones the job's bot version names, even if the rollout moved on since the job started.
 */
export async function synthesizeJob(body: VoiceMessage, attempt: number, env: Env, providerOf: ProviderFor): Promise<void> {
  const actor = conversationOf(env, body.userId);
  const step = await actor.voiceStep(body.jobId, "tts", attempt, runOf(body));
  if (step.kind !== "synthesize") return;
  const audio = await providerOf(step.speech).synthesize(step.text);
  const key = replyAudioKey(body.userId, body.jobId);
  await env.VOICE_AUDIO.put(key, audio.bytes, { httpMetadata: { contentType: audio.contentType } });
  const outcome = await actor.voiceDone(body.jobId, { key, contentType: audio.contentType });
  if (outcome === "gone") {
    // The conversation was erased while we synthesized: the audio must not outlive it.
    await env.VOICE_AUDIO.delete(key);
    logEvent("info", "voice reply dropped: conversation erased", { job: body.jobId });
  }
}
