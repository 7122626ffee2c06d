/**
 * The LLM fault's stream scenarios (chaos/faults/llm.ts): a socket dropped and reopened in the
 * middle of a streamed reply, one clientMessageId over REST and the socket during a generation,
 * and a `kill -9` of the dev server mid-generation. Each counts into the fault's tally.
 */
import { QUESTION } from "../bench/llm-setup.js";
import type { ChaosContext } from "./fault.js";
import { sleep } from "./fault.js";
import { LLM, MARK } from "./faults/llm.js";
import type { Tally } from "./figures.js";
import type { SseEvent } from "./llm-turns.js";
import { FrameSocket, applyDeltas, checkTurn, committedFor, streamTurn } from "./llm-turns.js";

/**
 * A socket watching a streamed reply is dropped abruptly after a few deltas, and a new one says
 * `hello since` the user's message: it must get the text so far (a delta from offset 0), the
 * rest, then exactly one `message` frame of the reply. Even users send the turn as a `say` on the
 * dropped socket itself, odd ones over SSE.
 */
export async function reconnectMidReply(context: ChaosContext, users: number, tally: Tally): Promise<void> {
  await Promise.all(
    Array.from({ length: users }, async (_, i) => {
      const userId = `${context.runId}-llm-reconnect-u${i}`;
      const id = `${userId}-m0`;
      const text = `${QUESTION} ${MARK.long}`;
      const first = await FrameSocket.open(context.api, userId, 0);
      const rest = i % 2 === 0 ? undefined : streamTurn(context.api, userId, text, id);
      if (rest === undefined) first.raw.send(JSON.stringify({ type: "say", text, clientMessageId: id }));
      if (!(await first.waitFor((socket) => socket.deltas().length >= 3, 15_000))) {
        tally.broke(`${userId}: the first socket got ${first.deltas().length} deltas in 15 s`);
      }
      const userSeq = Number(first.frames().find((frame) => frame.type === "message" && frame.role === "user")?.seq ?? 0);
      const shown = applyDeltas(first.deltas());
      first.raw.drop();
      const second = await FrameSocket.open(context.api, userId, userSeq);
      const replied = await second.waitFor((socket) => socket.botMessages().length > 0);
      await Promise.all([rest, sleep(500)]);
      second.raw.drop();
      if (!replied) {
        tally.neverAnswered++;
        tally.broke(`${userId}: the reopened socket never got the reply`);
        return;
      }
      tally.acknowledged++;
      const deltas = second.deltas();
      const replies = second.botMessages();
      if (deltas[0]?.offset !== 0) tally.broke(`${userId}: the reopened socket's first delta is at offset ${deltas[0]?.offset}, want 0`);
      else if ((deltas[0]?.text.length ?? 0) < shown.length)
        tally.broke(`${userId}: the text so far (${deltas[0]?.text.length}) is shorter than shown before (${shown.length})`);
      if (replies.length !== 1) tally.broke(`${userId}: the reopened socket got ${replies.length} reply frames`);
      if (second.frames().some((frame) => frame.type === "message" && Number(frame.seq) <= userSeq))
        tally.broke(`${userId}: hello since ${userSeq} replayed older messages`);
      const outcome = await checkTurn(context.api, userId, id, { scripted: false }, tally);
      if (outcome === "generated" && applyDeltas(deltas) !== replies[0]?.text) tally.broke(`${userId}: the deltas after reconnect do not add up to the reply`);
      if (outcome !== "generated") tally.notes.push(`${userId}: reply was ${outcome}, not generated`);
    }),
  );
}

/**
 * The same clientMessageId sent over SSE and as a `say` at once, while its reply generates: the
 * fake model must be asked once, and one reply committed.
 */
export async function sameIdTwice(context: ChaosContext, users: number, tally: Tally): Promise<void> {
  await Promise.all(
    Array.from({ length: users }, async (_, i) => {
      const userId = `${context.runId}-llm-twice-u${i}`;
      const id = `${userId}-m0`;
      const tag = `twice${"abcdefghijklmnopqrstuvwxyz"[i % 26]}${context.runId}x`;
      const text = `${QUESTION} ${MARK.long} ${tag}`;
      const socket = await FrameSocket.open(context.api, userId, 0);
      await sleep(200);
      const rest = streamTurn(context.api, userId, text, id);
      socket.raw.send(JSON.stringify({ type: "say", text, clientMessageId: id }));
      const [answer, replied] = await Promise.all([rest, socket.waitFor((s) => s.botMessages().length > 0)]);
      await sleep(500);
      socket.raw.drop();
      const done = answer.events.find((event) => event.event === "done");
      if (done === undefined || !replied) {
        tally.neverAnswered++;
        tally.broke(`${userId}: REST ${done ? "done" : `ended ${answer.status}`}, socket ${replied ? "replied" : "got no reply"}`);
        return;
      }
      tally.acknowledged++;
      if (socket.botMessages().length !== 1) tally.broke(`${userId}: the socket got ${socket.botMessages().length} reply frames`);
      if (done.data.seq !== socket.botMessages()[0]?.seq)
        tally.broke(`${userId}: REST answered seq ${done.data.seq}, the socket's reply is ${socket.botMessages()[0]?.seq}`);
      const generations = await generationsAsked(tag);
      if (generations !== 1) tally.broke(`${userId}: the model was asked to generate ${generations} times`);
      await checkTurn(context.api, userId, id, { scripted: false }, tally);
    }),
  );
}

/** Reply generations the fake model was asked for whose messages hold `tag` (an understanding call asks for JSON: `response_format`). */
async function generationsAsked(tag: string): Promise<number> {
  const requests = (await (await fetch(`${LLM.origin}/__fake/requests`)).json()) as { body: { stream?: boolean; response_format?: unknown } }[];
  const generations = requests.filter((request) => request.body.response_format === undefined && request.body.stream === true);
  return generations.filter((request) => JSON.stringify(request.body).includes(tag)).length;
}

/**
 * Streamed turns whose replies are generating when the dev server is killed with SIGKILL and
 * started again on the same state: the next load commits the scripted answer with
 * `generation.reason: "restart"`, and the clientMessageId re-sent is answered as a duplicate with it.
 */
export async function crashMidGeneration(context: ChaosContext, users: number, tally: Tally): Promise<void> {
  const { api, dev } = context;
  const ids = Array.from({ length: users }, (_, i) => `${context.runId}-llm-crash-u${i}`);
  const text = `${QUESTION} ${MARK.crash}`;
  const firstDeltas = ids.map(
    (userId) =>
      new Promise<boolean>((resolve) => {
        const onEvent = (event: SseEvent) => event.event === "delta" && resolve(true);
        void streamTurn(api, userId, text, `${userId}-m0`, onEvent).then(() => resolve(false));
        setTimeout(() => resolve(false), 15_000);
      }),
  );
  const streaming = (await Promise.all(firstDeltas)).filter(Boolean).length;
  if (streaming < users) tally.broke(`only ${streaming} of ${users} replies were streaming before the crash`);
  await dev.crash();
  await dev.start();
  for (const userId of ids) {
    const id = `${userId}-m0`;
    await checkTurn(api, userId, id, { scripted: true, reason: "restart" }, tally);
    const again = await api.turn(userId, text, id);
    tally.attempt(again);
    const reply = (await committedFor(api, userId, id)).replies[0];
    if (again.kind !== "acked") {
      tally.neverAnswered++;
      tally.broke(`${userId}: re-sent after the restart, answered ${again.kind}`);
      continue;
    }
    tally.acknowledged++;
    if (!again.duplicate) tally.broke(`${userId}: re-sent after the restart, not answered as a duplicate`);
    if (again.seq !== reply?.seq) tally.broke(`${userId}: re-sent after the restart, answered seq ${again.seq}; the reply is ${reply?.seq}`);
  }
  tally.notes.push(`kill -9 with ${streaming} replies streaming; each was answered once after the restart`);
}
