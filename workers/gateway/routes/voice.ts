import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import type { Env } from "../../../platform/env.js";
import { logEvent } from "../../../platform/log.js";
import { ApiError, errorBodySchema } from "../../../src/protocol/errors.js";
import {
  VOICE_CONTENT_TYPES,
  VOICE_MAX_BYTES,
  voiceAcceptedSchema,
  voiceCapabilitiesSchema,
  voiceContentTypeOf,
  voiceJobParamsSchema,
  voiceJobPath,
  voiceJobViewSchema,
  voiceRetriedSchema,
} from "../../../src/protocol/voice.js";
import { inputAudioKey } from "../../../src/speech/audio-keys.js";
import { MAX_JOBS_IN_FLIGHT, voiceJobViewOf } from "../../../src/speech/job.js";
import type { VoiceStage } from "../../../src/speech/messages.js";
import { voiceMessage } from "../../../src/speech/messages.js";
import { speechProviderOf } from "../../speech/provider.js";
import { conversationOf } from "../actors.js";
import type { GatewayEnv } from "../context.js";
import { validationHook } from "../errors.js";
import { audioBody } from "../middleware/audio-body.js";
import { authenticate, requireScope } from "../middleware/auth.js";
import { traceOf } from "../middleware/telemetry.js";
import { authErrors, bearerSecurity } from "../openapi.js";

const jsonError = (description: string) => ({ description, content: { "application/json": { schema: errorBodySchema } } });

/** 503 until a speech provider is configured, with the reason (which setting is missing). */
const requireSpeech: MiddlewareHandler<GatewayEnv> = async (c, next) => {
  const speech = speechProviderOf(c.env);
  if (!speech.ok) throw new ApiError("unavailable", speech.reason);
  await next();
};

const voice = [authenticate, requireScope("voice")];

const queueOf = (env: Env, stage: VoiceStage) => (stage === "asr" ? env.VOICE_ASR : env.VOICE_TTS);
const audio = z.string().meta({ format: "binary" });

const getVoice = createRoute({
  method: "get",
  path: "/v1/voice",
  summary: "Whether voice turns are available here, and their limits",
  security: bearerSecurity,
  middleware: voice,
  responses: { 200: { description: "capabilities", content: { "application/json": { schema: voiceCapabilitiesSchema } } }, ...authErrors },
});

const postVoice = createRoute({
  method: "post",
  path: "/v1/voice",
  summary: "Send a recording; the reply is transcribed, answered and spoken in the background",
  security: bearerSecurity,
  middleware: [audioBody(), ...voice, requireSpeech],
  request: { body: { required: true, content: Object.fromEntries(VOICE_CONTENT_TYPES.map((type) => [type, { schema: audio }])) } },
  responses: {
    202: { description: "the job is queued; poll `statusUrl` or listen for `voice` frames", content: { "application/json": { schema: voiceAcceptedSchema } } },
    400: jsonError("empty body"),
    413: jsonError("recording over 5 MB"),
    415: jsonError("not one of audio/wav, audio/webm, audio/ogg, audio/mpeg"),
    429: jsonError("3 voice jobs already in flight (`Retry-After`)"),
    ...authErrors,
    503: jsonError("no speech provider configured (the message says how), or no JWT key"),
  },
});

const getVoiceJob = createRoute({
  method: "get",
  path: "/v1/voice/{jobId}",
  summary: "A voice job's status, transcript and reply",
  security: bearerSecurity,
  middleware: voice,
  request: { params: voiceJobParamsSchema },
  responses: {
    200: { description: "the job", content: { "application/json": { schema: voiceJobViewSchema } } },
    400: jsonError("the job id is not a UUID"),
    404: jsonError("no such job for the caller"),
    ...authErrors,
  },
});

const getVoiceAudio = createRoute({
  method: "get",
  path: "/v1/voice/{jobId}/audio",
  summary: "The spoken reply of a finished voice job",
  security: bearerSecurity,
  middleware: voice,
  request: { params: voiceJobParamsSchema },
  responses: {
    200: { description: "the reply audio (usually audio/mpeg)", content: { "audio/mpeg": { schema: audio } } },
    404: jsonError("no such job, or its audio is gone"),
    409: jsonError("the job is not done yet"),
    ...authErrors,
  },
});

const retryVoiceJob = createRoute({
  method: "post",
  path: "/v1/voice/{jobId}/retry",
  summary: "Re-drive a failed voice job from its kept recording (or its reply, if that was known)",
  security: bearerSecurity,
  middleware: [...voice, requireSpeech],
  request: { params: voiceJobParamsSchema },
  responses: {
    202: { description: "the job is back in line", content: { "application/json": { schema: voiceRetriedSchema } } },
    404: jsonError("no such job for the caller"),
    409: jsonError("the job has not failed"),
    429: jsonError("3 voice jobs already in flight (`Retry-After`)"),
    ...authErrors,
  },
});

export const voiceRoutes = new OpenAPIHono<GatewayEnv>({ defaultHook: validationHook });

voiceRoutes.openapi(getVoice, (c) =>
  c.json(
    {
      available: speechProviderOf(c.env).ok,
      maxBytes: VOICE_MAX_BYTES,
      contentTypes: [...VOICE_CONTENT_TYPES],
      maxJobsInFlight: MAX_JOBS_IN_FLIGHT,
    },
    200,
  ),
);

voiceRoutes.openapi(postVoice, async (c) => {
  const { userId } = c.get("principal");
  const audioType = voiceContentTypeOf(c.req.header("content-type")) ?? "audio/wav";
  const recording = await c.req.arrayBuffer();
  if (recording.byteLength === 0) throw new ApiError("invalid_request", "the body is empty: send the recording itself as the body");
  const jobId = crypto.randomUUID();
  const audioKey = inputAudioKey(userId, jobId);
  await c.env.VOICE_AUDIO.put(audioKey, recording, { httpMetadata: { contentType: audioType } });
  const actor = conversationOf(c.env, userId);
  // A recording no job points at must not stay behind: not on refusal, not on an actor error.
  const registered = await actor.registerVoiceJob({ jobId, audioKey, audioType }).catch(async (error: unknown) => {
    await c.env.VOICE_AUDIO.delete(audioKey);
    throw error;
  });
  if (!registered.ok) {
    await c.env.VOICE_AUDIO.delete(audioKey);
    const retryAfter = String(registered.retryAfterSeconds);
    throw new ApiError("rate_limited", `${registered.inFlight} voice turns are still in progress; send the next one when one is done`, {
      "retry-after": retryAfter,
    });
  }
  try {
    await c.env.VOICE_ASR.send(voiceMessage("asr", userId, jobId, await traceOf(c)));
  } catch (error) {
    logEvent("error", "voice job not queued", { job: jobId, error: String(error) });
    await actor.voiceFailure(jobId, { stage: "asr", attempt: 0, error: String(error), final: true });
    throw new ApiError("unavailable", "the voice queue did not take the job; try again shortly", { "retry-after": "5" });
  }
  const statusUrl = voiceJobPath(jobId);
  return c.json({ jobId, status: "queued" as const, statusUrl }, 202, { location: statusUrl });
});

voiceRoutes.openapi(retryVoiceJob, async (c) => {
  const { userId } = c.get("principal");
  const { jobId } = c.req.valid("param");
  const redriven = await conversationOf(c.env, userId).redriveVoiceJob(jobId);
  if (!redriven.ok) {
    if (redriven.reason === "not_found") throw new ApiError("not_found", "no such voice job");
    if (redriven.reason === "not_failed") throw new ApiError("conflict", `only a failed job can be retried; this one is ${redriven.status}`);
    throw new ApiError("rate_limited", `${redriven.inFlight} voice turns are still in progress`, { "retry-after": String(redriven.retryAfterSeconds) });
  }
  await queueOf(c.env, redriven.stage).send(voiceMessage(redriven.stage, userId, jobId, await traceOf(c), redriven.run));
  return c.json({ jobId, status: redriven.job.status, statusUrl: voiceJobPath(jobId) }, 202);
});

voiceRoutes.openapi(getVoiceJob, async (c) => {
  const { userId } = c.get("principal");
  const job = await conversationOf(c.env, userId).voiceJob(c.req.valid("param").jobId);
  if (!job) throw new ApiError("not_found", "no such voice job");
  return c.json(voiceJobViewOf(job), 200);
});

// Registered by hand: a typed OpenAPI handler only admits JSON or text answers, and this one is audio.
voiceRoutes.openAPIRegistry.registerPath(getVoiceAudio);
voiceRoutes.get("/v1/voice/:jobId/audio", authenticate, requireScope("voice"), async (c) => {
  const { userId } = c.get("principal");
  const jobId = voiceJobParamsSchema.safeParse({ jobId: c.req.param("jobId") });
  if (!jobId.success) throw new ApiError("not_found", "no such voice job");
  const job = await conversationOf(c.env, userId).voiceJob(jobId.data.jobId);
  if (!job) throw new ApiError("not_found", "no such voice job");
  if (job.status !== "done" || job.replyKey === null) throw new ApiError("conflict", `the reply audio is not ready: the job is ${job.status}`);
  const object = await c.env.VOICE_AUDIO.get(job.replyKey);
  if (!object) throw new ApiError("not_found", "the reply audio is gone");
  return c.body(object.body, 200, {
    "content-type": job.replyType ?? "audio/mpeg",
    "content-length": String(object.size),
    etag: object.httpEtag,
  });
});
