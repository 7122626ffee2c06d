import type { Env } from "../../platform/env.js";
import { logEvent } from "../../platform/log.js";
import { childTrace, traceFields } from "../../src/metrics/trace.js";
import type { VoiceMessage } from "../../src/speech/messages.js";
import { voiceMessageSchema, voiceQueueOf } from "../../src/speech/messages.js";
import { transcribeJob } from "./asr.js";
import { failDeadJob } from "./dead-letters.js";
import { settleDelivery } from "./deliveries.js";
import { providerFor, speechProviderOf } from "./provider.js";
import { synthesizeJob } from "./tts.js";

/**
 * The Worker's `queue` handler for the voice queues, told apart by `batch.queue`. Jobs of a
 * batch run concurrently, so at most max_batch_size × max_concurrency provider calls are in
 * flight per stage (wrangler.toml). Deliveries of the same job (a duplicate in the batch) run
 * one after the other: the second finds the stage done and does not call the provider again.
 */
export async function handleVoiceBatch(batch: MessageBatch, env: Env): Promise<void> {
  const queue = voiceQueueOf(batch.queue);
  if (queue === null) {
    logEvent("error", "batch from an unknown queue", { queue: batch.queue, messages: batch.messages.length });
    throw new Error(`no consumer for queue ${batch.queue}`);
  }
  const byJob = new Map<string, Message[]>();
  for (const message of batch.messages) {
    const key = jobKeyOf(message.body);
    byJob.set(key, [...(byJob.get(key) ?? []), message]);
  }
  await Promise.all(
    [...byJob.values()].map(async (deliveries) => {
      for (const message of deliveries) await handleMessage(queue, message, env);
    }),
  );
}

/** Malformed bodies get a key of their own: they are dropped one by one below. */
function jobKeyOf(body: unknown): string {
  const parsed = voiceMessageSchema.safeParse(body);
  return parsed.success ? `${parsed.data.stage}:${parsed.data.userId}:${parsed.data.jobId}` : `malformed:${crypto.randomUUID()}`;
}

async function handleMessage(queue: "asr" | "tts" | "dead", message: Message, env: Env): Promise<void> {
  const parsed = voiceMessageSchema.safeParse(message.body);
  if (!parsed.success) {
    // A malformed message cannot get better by retrying: drop it, loudly.
    logEvent("error", "malformed voice message dropped", { queue, id: message.id });
    message.ack();
    return;
  }
  // This delivery is a hop of the job's trace: the same trace id, a span of its own.
  const body = { ...parsed.data, trace: childTrace(parsed.data.trace) };
  if (queue === "dead") {
    try {
      await failDeadJob(body, env);
      message.ack();
    } catch (error) {
      // The job must not stay "in flight" for ever: the dead-letter queue retries, plain.
      logEvent("error", "dead letter not recorded", { job: body.jobId, ...traceFields(body.trace), error: String(error) });
      message.retry();
    }
    return;
  }
  await settleDelivery(message, body, env, () => runStage(queue, body, message.attempts, env));
}

/** The connection is checked before the actor is asked; the job's version then picks the models and voice. */
async function runStage(queue: "asr" | "tts", body: VoiceMessage, attempt: number, env: Env): Promise<void> {
  const speech = speechProviderOf(env);
  if (!speech.ok) throw new Error(speech.reason);
  if (queue === "asr") await transcribeJob(body, attempt, env, providerFor(env));
  else await synthesizeJob(body, attempt, env, providerFor(env));
}
