import type { Env } from "../../platform/env.js";
import { logEvent } from "../../platform/log.js";
import { countMetric } from "../../platform/metrics-batcher.js";
import { traceFields } from "../../src/metrics/trace.js";
import { backoffPolicyOf, retryDelaySeconds } from "../../src/speech/backoff.js";
import type { VoiceMessage } from "../../src/speech/messages.js";
import { runOf } from "../../src/speech/messages.js";
import { SpeechProviderError } from "../../src/speech/provider.js";
import { conversationOf } from "../gateway/actors.js";

/**
 * A step that cannot succeed on retry (unreadable audio, a recording gone missing): the
 * job fails at once instead of burning the retries.
 */
export class PermanentStepError extends Error {
  override readonly name = "PermanentStepError";
}

/**
 * Runs one delivery and settles its message: ack on success; on a permanent error the job
 * fails now; on anything else the failure is recorded on the job (attempts, last error) and
 * the message comes back after an exponential, jittered delay. When the queue runs out of
 * retries it hands the message to the dead-letter queue, whose consumer fails the job.
 */
export async function settleDelivery(message: Message, body: VoiceMessage, env: Env, work: () => Promise<void>): Promise<void> {
  const started = Date.now();
  try {
    await work();
    message.ack();
    logEvent("info", "voice delivery", {
      ...traceFields(body.trace),
      job: body.jobId,
      stage: body.stage,
      attempt: message.attempts,
      outcome: "ack",
      latencyMs: Date.now() - started,
    });
    return;
  } catch (error) {
    const permanent = error instanceof PermanentStepError || (error instanceof SpeechProviderError && !error.retryable);
    const report = { stage: body.stage, run: runOf(body), attempt: message.attempts, error: describe(error), final: permanent };
    logEvent(permanent ? "warn" : "info", "voice step failed", {
      ...traceFields(body.trace),
      job: body.jobId,
      stage: body.stage,
      attempt: message.attempts,
      permanent,
      error: report.error,
    });
    const recorded = await conversationOf(env, body.userId)
      .voiceFailure(body.jobId, report)
      .then(
        () => true,
        () => false,
      );
    if (permanent && recorded) {
      message.ack();
      return;
    }
    message.retry({ delaySeconds: retryDelaySeconds(message.attempts, backoffPolicyOf(env)) });
    countMetric(env, { type: "voice.retry", stage: body.stage });
  }
}

function describe(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 500);
}
