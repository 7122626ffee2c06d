/**
 * Speech provider faults: voice turns whose transcription fails twice then recovers, and ones
 * whose transcription fails forever (the fake OpenAI audio server, test/fakes/serve-openai-audio.ts,
 * fails as each recording's directive says). Every job must end `done` with exactly one reply, or
 * `failed` and told — a `voice` frame with status `failed` on the user's socket — with no turn applied.
 * Then `kill -9` of the dev server with slow transcriptions in flight (the local runtime's queues
 * are in memory: their messages are lost): every job still ends `done` or `failed` and told, and
 * a failed one re-driven by its user (`POST …/retry`) ends `done` with exactly one reply.
 */
import type { ChaosContext, Fault } from "../fault.js";
import { sleep } from "../fault.js";
import type { FaultFigures } from "../figures.js";
import { Tally, figuresOf } from "../figures.js";
import { RawSocket } from "../raw-socket.js";
import { finalStatus, postRecording, rolesOf, voiceToken } from "../voice-client.js";

/** Where the run's fake speech server listens (run.ts starts it and gives it to the dev server). */
export const SPEECH = { origin: "", apiKey: "test-speech-key", jobTimeoutSeconds: 20 };

const JOB_DEADLINE_MS = 90_000;

type Kind = "recovers" | "fails forever";

export const speech: Fault = {
  name: "speech",
  async run(context: ChaosContext): Promise<FaultFigures> {
    const jobs = context.smoke ? 4 : 12;
    const tally = new Tally();
    const started = Date.now();
    const outcomes = await Promise.all(
      Array.from({ length: jobs * 2 }, (_, i) => oneJob(context, `${context.runId}-voice-u${i}`, i % 2 === 0 ? "recovers" : "fails forever", tally)),
    );
    tally.notes.push(`jobs that recovered after 2 failed transcriptions: ${outcomes.filter((o) => o === "recovers done").length} of ${jobs} done`);
    tally.notes.push(`jobs failing forever: ${outcomes.filter((o) => o === "fails forever failed").length} of ${jobs} failed and told`);
    await crashMidJobs(context, jobs, tally);
    const runs = `${jobs} recover after 2 failures, ${jobs} fail forever, ${jobs} in flight at a kill -9`;
    return figuresOf("speech provider faults (voice jobs)", runs, tally, (Date.now() - started) / 1000);
  },
};

/** Users whose jobs were in flight at a `kill -9`: each job ends done, or failed and told and then re-driven to done. */
async function crashMidJobs(context: ChaosContext, jobs: number, tally: Tally): Promise<void> {
  const users = await Promise.all(
    Array.from({ length: jobs }, async (_, i) => {
      const userId = `${context.runId}-voice-crash-u${i}`;
      const token = await voiceToken(userId);
      // A slow transcription: the job is still in flight when the dev server dies.
      const jobId = await postRecording(context.api.origin, token, { say: "do you have running shoes?", key: userId, delayMs: 4_000 }, tally);
      return { userId, token, jobId };
    }),
  );
  await sleep(1_000);
  await context.dev.crash();
  await context.dev.start();
  const endings = await Promise.all(
    users.map(async (user) => (user.jobId === null ? "refused" : crashedJobEnding(context.api.origin, user.token, user.userId, user.jobId, tally))),
  );
  const count = (ending: string) => endings.filter((e) => e === ending).length;
  tally.notes.push(
    `jobs in flight at the kill -9: ${count("done")} done, ${count("re-driven")} failed, told and re-driven to done (the local queue lost their messages), ${jobs - count("done") - count("re-driven")} otherwise`,
  );
}

/** How a job in flight at the crash ended; every way but "done" and "re-driven" is a violation. */
async function crashedJobEnding(origin: string, token: string, userId: string, jobId: string, tally: Tally): Promise<string> {
  const socket = await RawSocket.open(origin, "/v1/ws", ["parley.v1", `bearer.${token}`]);
  socket.send(JSON.stringify({ type: "hello", since: 0 }));
  const status = await finalStatus(origin, token, jobId, (SPEECH.jobTimeoutSeconds + 40) * 1000);
  let ending = status;
  if (status === "failed") {
    await sleep(500);
    const told = socket.texts.some((text) => text.includes('"type":"voice"') && text.includes(jobId) && text.includes('"status":"failed"'));
    if (!told) tally.broke(`${userId}: the job failed after the crash but no voice frame told the user`);
    const retried = await fetch(`${origin}/v1/voice/${jobId}/retry`, { method: "POST", headers: { authorization: `Bearer ${token}` } });
    if (retried.status !== 202) tally.broke(`${userId}: re-driving the failed job answered ${retried.status}`);
    const again = await finalStatus(origin, token, jobId, JOB_DEADLINE_MS);
    if (again !== "done") tally.broke(`${userId}: the re-driven job ended ${again}`);
    ending = again === "done" ? "re-driven" : `re-driven, ${again}`;
  } else if (status !== "done") {
    tally.broke(`${userId}: a job in flight at the crash was still ${status} after the timeout`);
    tally.unanswered++;
  }
  socket.drop();
  const { userTurns, botReplies } = await turnsOf(origin, token);
  if (ending.startsWith("re-driven") || ending === "done") {
    if (userTurns !== 1 || botReplies !== 1) tally.broke(`${userId}: the job left ${userTurns} user turns and ${botReplies} replies (want 1 and 1)`);
  }
  return ending;
}

async function turnsOf(origin: string, token: string): Promise<{ userTurns: number; botReplies: number }> {
  const roles = await rolesOf(origin, token);
  return { userTurns: roles.filter((role) => role === "user").length, botReplies: roles.filter((role) => role === "bot").length };
}

async function oneJob(context: ChaosContext, userId: string, kind: Kind, tally: Tally): Promise<string> {
  const { origin } = context.api;
  const token = await voiceToken(userId);
  const socket = await RawSocket.open(origin, "/v1/ws", ["parley.v1", `bearer.${token}`]);
  socket.send(JSON.stringify({ type: "hello", since: 0 }));
  const say = kind === "recovers" ? "do you have running shoes?" : "this is never heard";
  const directive = { say, key: userId, fail: kind === "recovers" ? 2 : "always", status: 503 };
  const jobId = await postRecording(origin, token, directive, tally);
  if (jobId === null) {
    socket.drop();
    return `${kind} refused`;
  }
  const status = await finalStatus(origin, token, jobId, JOB_DEADLINE_MS);
  const { userTurns, botReplies } = await turnsOf(origin, token);
  const told = socket.texts.some((text) => text.includes('"type":"voice"') && text.includes(jobId) && text.includes('"status":"failed"'));
  socket.drop();
  if (kind === "recovers") {
    if (status !== "done") tally.broke(`${userId}: a job that should recover ended ${status}`);
    if (userTurns !== 1 || botReplies !== 1) tally.broke(`${userId}: recovered job left ${userTurns} user turns and ${botReplies} replies (want 1 and 1)`);
  } else {
    if (status !== "failed") tally.broke(`${userId}: a job that fails forever ended ${status}`);
    else if (!told) tally.broke(`${userId}: job failed but no voice frame told the user`);
    if (userTurns !== 0) tally.broke(`${userId}: a job never transcribed applied ${userTurns} turns`);
  }
  if (status !== "done" && status !== "failed") tally.unanswered++;
  return `${kind} ${status}`;
}
