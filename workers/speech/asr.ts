import type { Env } from "../../platform/env.js";
import type { VoiceMessage } from "../../src/speech/messages.js";
import { runOf, voiceMessage } from "../../src/speech/messages.js";
import { conversationOf } from "../gateway/actors.js";
import { PermanentStepError } from "./deliveries.js";
import type { ProviderFor } from "./provider.js";

/**
 * One ASR delivery: recording → provider → transcript → the actor's dialog turn → a TTS
 * message. Safe to repeat: the actor hands out the transcription step only while no
 * transcript is stored, and the turn is deduplicated by `voice-<jobId>`. The model is the one
 * the job's bot version names (the actor hands it out with the step).
 */
export async function transcribeJob(body: VoiceMessage, attempt: number, env: Env, providerOf: ProviderFor): Promise<void> {
  const actor = conversationOf(env, body.userId);
  const step = await actor.voiceStep(body.jobId, "asr", attempt, runOf(body));
  let transcript: string;
  if (step.kind === "transcribe") {
    const recording = await env.VOICE_AUDIO.get(step.audioKey);
    if (!recording) throw new PermanentStepError("the recording is missing from storage");
    transcript = await providerOf(step.speech).transcribe({ bytes: new Uint8Array(await recording.arrayBuffer()), contentType: step.audioType });
  } else if (step.kind === "reply") {
    transcript = step.transcript;
  } else {
    return;
  }
  const outcome = await actor.voiceReply(body.jobId, transcript, body.trace);
  // A TTS message may be sent twice if this delivery is repeated after the send: harmless,
  // the TTS step is idempotent too.
  if (outcome.kind === "synthesize") await env.VOICE_TTS.send(voiceMessage("tts", body.userId, body.jobId, body.trace, runOf(body)));
}
