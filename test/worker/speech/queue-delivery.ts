import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import type { Env } from "../../../platform/env.js";
import { inputAudioKey } from "../../../src/speech/audio-keys.js";
import type { VoiceMessage, VoiceStage } from "../../../src/speech/messages.js";
import { VOICE_QUEUES } from "../../../src/speech/messages.js";
import worker from "../../../workers/index.js";
import type { Directive } from "../../fakes/openai-audio.js";
import { fakeRecording } from "../../fakes/openai-audio.js";

export const actorOf = (userId: string) => env.CONVERSATION.getByName(userId);

/** A job as POST /v1/voice registers it, but with no message on the real queue: the test delivers. */
export async function registeredJob(userId: string, directive: Directive): Promise<string> {
  const jobId = crypto.randomUUID();
  const audioKey = inputAudioKey(userId, jobId);
  await env.VOICE_AUDIO.put(audioKey, fakeRecording(directive));
  const registered = await actorOf(userId).registerVoiceJob({ jobId, audioKey, audioType: "audio/webm" });
  expect(registered.ok).toBe(true);
  return jobId;
}

/** Delivers messages to the Worker's queue handler as Queues would, and reports what it acked and retried. */
export async function deliver(stage: VoiceStage | "dead", bodies: VoiceMessage[], attempts = 1, overrides: Partial<Env> = {}) {
  const messages = bodies.map((body, i) => ({ id: `m-${crypto.randomUUID()}-${i}`, timestamp: Date.now(), attempts, body }));
  const batch = createMessageBatch<VoiceMessage>(VOICE_QUEUES[stage], messages);
  const ctx = createExecutionContext();
  await worker.queue(batch as MessageBatch, { ...env, ...overrides } as Env);
  return { ids: messages.map((message) => message.id), result: await getQueueResult(batch as MessageBatch, ctx) };
}
