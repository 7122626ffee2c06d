/**
 * Speech provider faults: voice turns whose transcription fails twice then recovers, and ones
 * whose transcription fails forever (the fake OpenAI audio server, test/fakes/serve-openai-audio.ts,
 * fails as each recording's directive says). Every job must end `done` with exactly one reply, or
 * `failed` and told — a `voice` frame with status `failed` on the user's socket — with no turn applied.
 */
import { DEV_JWT_SECRET } from "../../src/security/dev-secrets.js";
import { secretBytes, signToken } from "../../src/security/jwt.js";
import type { ChaosContext, Fault } from "../fault.js";
import { sleep } from "../fault.js";
import type { FaultFigures } from "../figures.js";
import { Tally, figuresOf } from "../figures.js";
import { RawSocket } from "../raw-socket.js";

/** Where the run's fake speech server listens (run.ts starts it and gives it to the dev server). */
export const SPEECH = { origin: "", apiKey: "test-speech-key" };

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
    return figuresOf("speech provider faults (voice jobs)", `${jobs} recover after 2 failures, ${jobs} fail forever`, tally, (Date.now() - started) / 1000);
  },
};

async function oneJob(context: ChaosContext, userId: string, kind: Kind, tally: Tally): Promise<string> {
  const { origin } = context.api;
  const token = (await signToken({ userId, scopes: ["chat", "voice"], ttlSeconds: 3600, secret: secretBytes(DEV_JWT_SECRET) })).token;
  const socket = await RawSocket.open(origin, "/v1/ws", ["parley.v1", `bearer.${token}`]);
  socket.send(JSON.stringify({ type: "hello", since: 0 }));
  const say = kind === "recovers" ? "do you have running shoes?" : "this is never heard";
  const directive = { say, key: userId, fail: kind === "recovers" ? 2 : "always", status: 503 };
  const posted = await fetch(`${origin}/v1/voice`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "audio/wav" },
    body: `RIFF\0\0\0\0WAVEfmt ${JSON.stringify(directive)}`,
  });
  if (posted.status !== 202) {
    tally.unanswered++;
    tally.sample(`voice ${posted.status}`, await posted.text());
    socket.drop();
    return `${kind} refused`;
  }
  tally.acknowledged++;
  const { jobId } = (await posted.json()) as { jobId: string };
  const status = await finalStatus(origin, token, jobId);
  const history = (await (await fetch(`${origin}/v1/conversation/messages`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
    messages: { role: string; text: string }[];
  };
  const userTurns = history.messages.filter((m) => m.role === "user").length;
  const botReplies = history.messages.filter((m) => m.role === "bot").length;
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

/** Polls the job until it is `done` or `failed`, or the deadline passes (then its last status). */
async function finalStatus(origin: string, token: string, jobId: string): Promise<string> {
  const deadline = Date.now() + JOB_DEADLINE_MS;
  let status = "?";
  while (Date.now() < deadline) {
    const answer = await fetch(`${origin}/v1/voice/${jobId}`, { headers: { authorization: `Bearer ${token}` } });
    status = answer.ok ? ((await answer.json()) as { status: string }).status : `http ${answer.status}`;
    if (status === "done" || status === "failed") return status;
    await sleep(500);
  }
  return status;
}
