/** A voice user as the chaos run plays one: a token that may speak, a fake recording posted, the job polled, history read. */
import { DEV_JWT_SECRET } from "../src/security/dev-secrets.js";
import { secretBytes, signToken } from "../src/security/jwt.js";
import { sleep } from "./fault.js";
import type { Tally } from "./figures.js";

/** A token with the `chat` and `voice` scopes, as the widget's would have. */
export async function voiceToken(userId: string, ttlSeconds = 3600): Promise<string> {
  return (await signToken({ userId, scopes: ["chat", "voice"], ttlSeconds, secret: secretBytes(DEV_JWT_SECRET) })).token;
}

/**
 * `POST /v1/voice` with a fake recording whose directive the fake speech server obeys
 * (test/fakes/openai-audio.ts); counted in `tally`. The job id of the 202, or null.
 */
export async function postRecording(origin: string, token: string, directive: Record<string, unknown>, tally: Tally): Promise<string | null> {
  const posted = await fetch(`${origin}/v1/voice`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "audio/wav" },
    body: `RIFF\0\0\0\0WAVEfmt ${JSON.stringify(directive)}`,
  });
  if (posted.status !== 202) {
    tally.unanswered++;
    tally.sample(`voice ${posted.status}`, await posted.text());
    return null;
  }
  tally.acknowledged++;
  return ((await posted.json()) as { jobId: string }).jobId;
}

/** Polls the job every `everyMs` until it is `done` or `failed`, or `withinMs` pass (then its last status). */
export async function finalStatus(origin: string, token: string, jobId: string, withinMs: number, everyMs = 500): Promise<string> {
  const deadline = Date.now() + withinMs;
  let status = "?";
  while (Date.now() < deadline) {
    const answer = await fetch(`${origin}/v1/voice/${jobId}`, { headers: { authorization: `Bearer ${token}` } });
    status = answer.ok ? ((await answer.json()) as { status: string }).status : `http ${answer.status}`;
    if (status === "done" || status === "failed") return status;
    await sleep(everyMs);
  }
  return status;
}

/** The roles of the user's history, in order. */
export async function rolesOf(origin: string, token: string): Promise<string[]> {
  const history = (await (await fetch(`${origin}/v1/conversation/messages`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
    messages: { role: string }[];
  };
  return history.messages.map((message) => message.role);
}
