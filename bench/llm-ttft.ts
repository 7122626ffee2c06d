/**
 * Parley's added time to first token (issue 22): warm users ask a knowledge question with
 * `Accept: text/event-stream`, one turn at a time, and each turn is paired with the model's
 * own time to first token — the same request body, sent by the same client straight to the
 * fake model right after. The fake's stopwatch splits Parley's time into the way to the model
 * (sent → the chat request arrives), the model's own wait, and the way back (its first text
 * leaves → the first `delta` event arrives).
 */

import { piecesOf } from "../test/fakes/openai-chat-model.js";
import type { StreamedAnswer } from "./llm-client.js";
import { StreamClient } from "./llm-client.js";
import type { TimedFake } from "./llm-fake.js";
import { carriesText } from "./llm-fake.js";
import { MODEL_REPLY, PLAIN_SUFFIX, QUESTION } from "./llm-setup.js";
import { rebuild, sseEventsOf } from "./llm-stream.js";
import type { Target } from "./runtime.js";
import type { LatencySummary } from "./stats.js";
import { summarize } from "./stats.js";
import { TokenBook } from "./tokens.js";

export interface TtftOptions {
  runId: string;
  users: number;
  /** unmeasured turns per user first: the actor loaded, the isolate's runtime and connections made */
  warmTurns: number;
  /** measured turns per user */
  turns: number;
}

export interface TtftResult {
  pairs: number;
  /** the model's own TTFT, as the client sees it straight from the fake */
  provider: LatencySummary;
  /** Parley's: sent → first `delta` event */
  parley: LatencySummary;
  /** Parley − provider, pair by pair */
  added: LatencySummary;
  /** sent → the model's request arrives (gateway, actor, dialog step, commit, prompt, outbound fetch) */
  toModel: LatencySummary;
  /** the fake's own wait in Parley's turns: arrival → first text out */
  modelOwn: LatencySummary;
  /** first text out of the model → the client's first `delta` (SSE parse, LiveReplies, TransformStream, RPC stream, gateway, dev proxy) */
  back: LatencySummary;
  /** the same legs for the direct requests */
  providerToModel: LatencySummary;
  providerBack: LatencySummary;
  /** a whole streamed turn, sent → end of `done` */
  turn: LatencySummary;
  /** the same question answered by the rules alone (the shop without `llm`, JSON), warm users in step with the others */
  scripted: LatencySummary;
  /**
   * The runtime's CPU ms per turn, over a block of turns of each kind (the dev proxy and wrangler
   * left out): streamed with the benchmark's reply, streamed with a one-piece reply (what a
   * streamed turn costs apart from its deltas), and the same question by the rules alone.
   */
  cpu: { streamed: number; streamedOnePiece: number; scripted: number; pieces: number };
  /** turns whose stream broke a rule (no delta, no done, deltas ≠ committed reply, not the model's text, not one model call) */
  problems: string[];
}

function summaries(values: readonly number[]): LatencySummary {
  return summarize(Float64Array.from(values));
}

/** What a streamed turn's body says is wrong, if anything. */
export function streamProblem(body: string): string | null {
  const events = sseEventsOf(body);
  const deltas = events.filter((event) => event.event === "delta").map((event) => JSON.parse(event.data) as { offset: number; text: string });
  const done = events.find((event) => event.event === "done");
  if (deltas.length === 0) return "no delta";
  if (!done) return `no done (${events.at(-1)?.event ?? "nothing"})`;
  const reply = (JSON.parse(done.data) as { reply?: { text?: string } }).reply?.text;
  if (reply !== rebuild(deltas)) return "deltas differ from the committed reply";
  if (reply !== MODEL_REPLY) return "the committed reply is not the model's";
  return null;
}

/** One measured pair's timings, ms. */
interface Pair {
  parley: number;
  provider: number;
  toModel: number;
  modelOwn: number;
  back: number;
  providerToModel: number;
  providerBack: number;
  turn: number;
}

/** The clients of one measurement and the turn counter that keeps every clientMessageId new. */
class Asker {
  private turnNo = 0;
  readonly parley: StreamClient;
  readonly model: StreamClient;
  readonly tokens = new TokenBook();

  constructor(
    origin: string,
    private readonly fake: TimedFake,
    private readonly runId: string,
  ) {
    this.parley = new StreamClient(origin, 2);
    this.model = new StreamClient(fake.url, 2);
  }

  async ask(user: string, text: string, accept: string): Promise<StreamedAnswer> {
    return this.parley.post({
      path: "/v1/messages",
      headers: { authorization: `Bearer ${await this.tokens.get(user)}`, "content-type": "application/json", accept },
      body: JSON.stringify({ text, clientMessageId: `${this.runId}-t${this.turnNo++}` }),
      isFirst: (chunk) => chunk.includes("event: delta"),
    });
  }

  /** A streamed turn of `user`, then the very request Parley made to the model, sent by this client straight to it. */
  async pair(user: string): Promise<Pair | string> {
    this.fake.reset();
    const answer = await this.ask(user, QUESTION, "text/event-stream");
    const call = this.fake.calls[0];
    const problem =
      answer.status !== 200 ? `http ${answer.status}` : this.fake.calls.length !== 1 ? `${this.fake.calls.length} model calls` : streamProblem(answer.body);
    if (problem !== null) return problem;
    if (!call || call.firstTextAt === null || answer.firstMs === null) return "no timing";
    this.fake.reset();
    const own = await this.model.post({ path: "/v1/chat/completions", headers: { "content-type": "application/json" }, body: call.body, isFirst: carriesText });
    const ownCall = this.fake.calls[0];
    if (own.status !== 200 || own.firstMs === null || !ownCall || ownCall.firstTextAt === null) return `direct: http ${own.status}`;
    return {
      parley: answer.firstMs,
      provider: own.firstMs,
      toModel: call.arrivedAt - answer.sentAt,
      modelOwn: call.firstTextAt - call.arrivedAt,
      back: answer.sentAt + answer.firstMs - call.firstTextAt,
      providerToModel: ownCall.arrivedAt - own.sentAt,
      providerBack: own.sentAt + own.firstMs - ownCall.firstTextAt,
      turn: answer.totalMs,
    };
  }

  async close(): Promise<void> {
    await this.parley.close();
    await this.model.close();
  }
}

function summaryOf(pairs: readonly Pair[], leg: keyof Pair): LatencySummary {
  return summaries(pairs.map((pair) => pair[leg]));
}

/** The question on the shop without `llm`: the rules' answer, as JSON. */
async function scriptedTurn(asker: Asker, user: string): Promise<number | string> {
  const answer = await asker.ask(user, QUESTION, "application/json");
  if (answer.status !== 200) return `scripted: http ${answer.status}`;
  return answer.body.includes(MODEL_REPLY) ? "scripted: the model answered" : answer.totalMs;
}

/** The runtime's CPU ms per turn over `count` turns of `turn`, one at a time. */
async function cpuPerTurn(target: Target, count: number, turn: (i: number) => Promise<unknown>): Promise<number> {
  const before = target.cpuMs().worker;
  for (let i = 0; i < count; i++) await turn(i);
  return (target.cpuMs().worker - before) / count;
}

const CPU_BLOCK_TURNS = 50;
const ONE_PIECE_REPLY = "Yes.";

export async function measureTtft(target: Target, fake: TimedFake, options: TtftOptions): Promise<TtftResult> {
  const users = Array.from({ length: options.users }, (_, i) => `${options.runId}-ttft-${i}`);
  const plainUsers = users.map((user) => `${user}${PLAIN_SUFFIX}`);
  const asker = new Asker(target.origin, fake, options.runId);
  await asker.tokens.mint([...users, ...plainUsers]);
  const pairs: Pair[] = [];
  const scripted: number[] = [];
  const problems: string[] = [];
  const cpu = { streamed: Number.NaN, streamedOnePiece: Number.NaN, scripted: Number.NaN, pieces: piecesOf(MODEL_REPLY).length };
  try {
    // Round by round, so a user's turns are spread over the run and each is warm.
    for (let round = 0; round < options.warmTurns + options.turns; round++) {
      for (const [i, user] of users.entries()) {
        const pair = await asker.pair(user);
        const plain = await scriptedTurn(asker, plainUsers[i] ?? "");
        for (const problem of [pair, plain]) if (typeof problem === "string") problems.push(problem);
        if (round < options.warmTurns) continue;
        if (typeof pair !== "string") pairs.push(pair);
        if (typeof plain === "number") scripted.push(plain);
      }
    }
    const nth = (list: readonly string[], i: number) => list[i % list.length] ?? "";
    const streamed = (i: number) => asker.ask(nth(users, i), QUESTION, "text/event-stream");
    cpu.streamed = await cpuPerTurn(target, CPU_BLOCK_TURNS, streamed);
    cpu.scripted = await cpuPerTurn(target, CPU_BLOCK_TURNS, (i) => asker.ask(nth(plainUsers, i), QUESTION, "application/json"));
    await fake.answer(ONE_PIECE_REPLY);
    cpu.streamedOnePiece = await cpuPerTurn(target, CPU_BLOCK_TURNS, streamed);
    await fake.answer(MODEL_REPLY);
  } finally {
    await asker.close();
  }
  return {
    cpu,
    pairs: pairs.length,
    provider: summaryOf(pairs, "provider"),
    parley: summaryOf(pairs, "parley"),
    added: summaries(pairs.map((pair) => pair.parley - pair.provider)),
    toModel: summaryOf(pairs, "toModel"),
    modelOwn: summaryOf(pairs, "modelOwn"),
    back: summaryOf(pairs, "back"),
    providerToModel: summaryOf(pairs, "providerToModel"),
    providerBack: summaryOf(pairs, "providerBack"),
    turn: summaryOf(pairs, "turn"),
    scripted: summaries(scripted),
    problems,
  };
}
