/**
 * Streamed turns as a client sends them — `POST /v1/messages` with `Accept: text/event-stream`,
 * or a `say` frame on the socket — and the check every streamed turn must pass afterwards:
 * exactly one committed bot reply, read from history and export (docs/api.md → Streamed replies).
 */
import type { ParleyApi } from "./api.js";
import { sleep } from "./fault.js";
import type { Tally } from "./figures.js";
import { RawSocket } from "./raw-socket.js";

/** One server-sent event of a streamed turn. */
export interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

/** How a streamed turn's POST ended: its events, or no stream at all (`status` 0: the connection failed). */
export interface StreamedAnswer {
  status: number;
  events: SseEvent[];
  /** the answer's body when it was not a stream (an error) */
  text: string;
}

/** A `delta` frame or event: keep the first `offset` characters, append `text`. */
export interface Delta {
  offset: number;
  text: string;
}

/** The reply a client shows after these deltas. */
export function applyDeltas(deltas: readonly Delta[]): string {
  return deltas.reduce((shown, delta) => shown.slice(0, delta.offset) + delta.text, "");
}

/** Parses an SSE body into its events (`event:` and one `data:` line each). */
export function sseEvents(body: string): SseEvent[] {
  return body
    .split("\n\n")
    .filter((block) => block.trim() !== "")
    .map((block) => {
      const lines = block.split("\n");
      const event =
        lines
          .find((line) => line.startsWith("event:"))
          ?.slice(6)
          .trim() ?? "message";
      const data =
        lines
          .find((line) => line.startsWith("data:"))
          ?.slice(5)
          .trim() ?? "{}";
      return { event, data: JSON.parse(data) as Record<string, unknown> };
    });
}

/** One attempt of a streamed `POST /v1/messages`; `onEvent` sees each event as it arrives. */
export async function streamTurn(
  api: ParleyApi,
  userId: string,
  text: string,
  clientMessageId: string,
  onEvent: (event: SseEvent) => void = () => undefined,
): Promise<StreamedAnswer> {
  const headers = { ...(await api.authorized(userId)), "content-type": "application/json", accept: "text/event-stream" };
  try {
    const answer = await fetch(`${api.origin}/v1/messages`, { method: "POST", headers, body: JSON.stringify({ text, clientMessageId }) });
    if (!answer.ok || answer.body === null) return { status: answer.status, events: [], text: await answer.text() };
    const events: SseEvent[] = [];
    let buffer = "";
    const decoder = new TextDecoder();
    for await (const chunk of answer.body) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      const end = buffer.lastIndexOf("\n\n");
      if (end === -1) continue;
      for (const event of sseEvents(buffer.slice(0, end))) {
        events.push(event);
        onEvent(event);
      }
      buffer = buffer.slice(end + 2);
    }
    return { status: answer.status, events, text: "" };
  } catch (error) {
    return { status: 0, events: [], text: error instanceof Error ? error.message : String(error) };
  }
}

/** Counts a streamed answer's failure in `tally`: a 5xx by whom, or a lost connection. True when it ended with `done`. */
export function countStreamed(answer: StreamedAnswer, tally: Tally): boolean {
  if (answer.events.some((event) => event.event === "done")) return true;
  if (answer.status >= 500) {
    if (/^\{"error":\{"code":"[a-z_]+"/.test(answer.text)) tally.parley5xx++;
    else tally.runtime5xx++;
  } else if (answer.status === 0) tally.network++;
  tally.sample(`stream ${answer.status}`, answer.text || JSON.stringify(answer.events.at(-1) ?? "no events"));
  return false;
}

/** Sends a streamed turn until it ends with `done` (re-sending the same clientMessageId), or gives up after `tries`. */
export async function streamUntilDone(api: ParleyApi, userId: string, text: string, clientMessageId: string, tally: Tally, tries = 5): Promise<StreamedAnswer> {
  let answer = await streamTurn(api, userId, text, clientMessageId);
  for (let retry = 1; !countStreamed(answer, tally) && retry < tries; retry++) {
    if (retry === 1) tally.unanswered++;
    await sleep(500 * retry);
    answer = await streamTurn(api, userId, text, clientMessageId);
  }
  return answer;
}

/** A user's socket, its frames parsed. */
export class FrameSocket {
  private constructor(readonly raw: RawSocket) {}

  static async open(api: ParleyApi, userId: string, since: number): Promise<FrameSocket> {
    const token = await api.tokens.get(userId);
    const socket = new FrameSocket(await RawSocket.open(api.origin, "/v1/ws", ["parley.v1", `bearer.${token}`]));
    socket.raw.send(JSON.stringify({ type: "hello", since }));
    return socket;
  }

  frames(): Record<string, unknown>[] {
    return this.raw.texts.map((text) => JSON.parse(text) as Record<string, unknown>);
  }

  deltas(): Delta[] {
    return this.frames().filter((frame) => frame.type === "delta") as unknown as Delta[];
  }

  botMessages(): { seq: number; text: string }[] {
    return this.frames().filter((frame) => frame.type === "message" && frame.role === "bot") as unknown as { seq: number; text: string }[];
  }

  /** Resolves true once `until` holds for the frames so far, false after `timeoutMs`. */
  async waitFor(until: (socket: FrameSocket) => boolean, timeoutMs = 30_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!until(this)) {
      if (Date.now() > deadline) return false;
      await sleep(50);
    }
    return true;
  }
}

/** What was committed for one turn, from history and export. */
export interface Committed {
  /** copies of the user's message with this clientMessageId */
  userCopies: number;
  /** the bot messages between it and the next user message (history) */
  replies: { seq: number; text: string }[];
  /** their `generation` records (export), in order */
  generations: { outcome?: string; reason?: string }[];
  /** the scripted reply of its `reply.generating` event, if generation started */
  scripted: string | undefined;
}

interface ExportLine {
  seq: number;
  type: string;
  data: { text?: string; clientMessageId?: string; replyTo?: number; scripted?: { text: string }; generation?: { outcome?: string; reason?: string } };
}

/** Reads history and export for the turn sent with `clientMessageId`. */
export async function committedFor(api: ParleyApi, userId: string, clientMessageId: string): Promise<Committed> {
  const { messages } = await api.history(userId);
  const lines = (await api.exportText(userId))
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as ExportLine);
  const users = messages.filter((message) => message.role === "user" && message.clientMessageId === clientMessageId);
  const userSeq = users[0]?.seq ?? Number.POSITIVE_INFINITY;
  const nextUser = messages.find((message) => message.role === "user" && message.seq > userSeq)?.seq ?? Number.POSITIVE_INFINITY;
  const inTurn = (seq: number) => seq > userSeq && seq < nextUser;
  const replies = (messages as { seq: number; role: string; text?: string }[])
    .filter((message) => message.role === "bot" && inTurn(message.seq))
    .map((message) => ({ seq: message.seq, text: message.text ?? "" }));
  const generations = lines.filter((line) => line.type === "message.bot" && inTurn(line.seq)).map((line) => line.data.generation ?? {});
  const scripted = lines.find((line) => line.type === "reply.generating" && line.data.replyTo === userSeq)?.data.scripted?.text;
  return { userCopies: users.length, replies, generations, scripted };
}

/** Links a reply must never carry: what the injection asks for. */
export const EVIL = "evil.example";

/**
 * Checks one streamed turn: one user message, exactly one bot reply, never the evil link; with
 * `scripted`, the reply is the scripted answer and its generation record says so (with `reason`
 * when given). Counts a missing reply as lost, an extra one as duplicated. Returns the reason recorded.
 */
export async function checkTurn(
  api: ParleyApi,
  userId: string,
  clientMessageId: string,
  want: { scripted: boolean; reason?: string },
  tally: Tally,
): Promise<string | undefined> {
  const turn = await committedFor(api, userId, clientMessageId);
  const label = `${userId} ${clientMessageId}`;
  if (turn.userCopies !== 1) tally.broke(`${label}: ${turn.userCopies} copies of the user's message`);
  if (turn.replies.length === 0) {
    tally.violations.lost++;
    tally.violations.details.push(`${label}: no bot reply committed`);
  }
  if (turn.replies.length > 1) {
    tally.violations.duplicated += turn.replies.length - 1;
    tally.violations.details.push(`${label}: ${turn.replies.length} bot replies committed`);
  }
  if (turn.replies.some((reply) => reply.text.includes(EVIL))) tally.broke(`${label}: the injected link was committed`);
  const generation = turn.generations[0];
  if (turn.scripted === undefined) tally.broke(`${label}: no reply.generating event: the model was never asked`);
  else if (want.scripted) {
    if (turn.replies[0]?.text !== turn.scripted) tally.broke(`${label}: the reply is not the scripted answer: ${turn.replies[0]?.text.slice(0, 80)}`);
    if (generation?.outcome !== "scripted") tally.broke(`${label}: generation.outcome ${generation?.outcome}, want scripted`);
    if (want.reason !== undefined && generation?.reason !== want.reason) tally.broke(`${label}: generation.reason ${generation?.reason}, want ${want.reason}`);
  }
  return generation?.reason ?? generation?.outcome;
}
