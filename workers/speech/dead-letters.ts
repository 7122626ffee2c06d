import type { Env } from "../../platform/env.js";
import { logEvent } from "../../platform/log.js";
import { countMetric } from "../../platform/metrics-batcher.js";
import { traceFields } from "../../src/metrics/trace.js";
import type { VoiceMessage } from "../../src/speech/messages.js";
import { runOf } from "../../src/speech/messages.js";
import { conversationOf } from "../gateway/actors.js";

/**
 * A message that used up its retries: the job is failed and the user told (status and a
 * `voice` frame). The recording stays in R2, so the job can be re-driven later.
 */
export async function failDeadJob(body: VoiceMessage, env: Env): Promise<void> {
  // attempt 0: the dead-letter delivery counts its own attempts; the job keeps the real count.
  await conversationOf(env, body.userId).voiceFailure(body.jobId, { stage: body.stage, run: runOf(body), attempt: 0, final: true });
  countMetric(env, { type: "voice.dead_letter", stage: body.stage });
  logEvent("warn", "voice job dead-lettered", { ...traceFields(body.trace), job: body.jobId, stage: body.stage });
}
