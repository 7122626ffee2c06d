/**
 * 1,000 concurrent streams over sockets (issue 22): as many users, each with an open `/v1/ws`
 * socket (`hello` since 0), all send a `say` with a knowledge question at once; the fake model
 * answers slowly enough that the streams overlap. Each socket's `delta` frames are rebuilt by
 * offset and compared with the final bot `message` frame.
 */
import { WebSocket } from "undici";
import type { TimedFake } from "./llm-fake.js";
import { mostAtOnce } from "./llm-fake.js";
import { MODEL_REPLY, QUESTION } from "./llm-setup.js";
import type { Delta } from "./llm-stream.js";
import { rebuild } from "./llm-stream.js";
import { runAll } from "./load.js";
import type { LatencySummary } from "./stats.js";
import { summarize } from "./stats.js";
import { TokenBook } from "./tokens.js";

const OPEN_TIMEOUT_MS = 60_000;

export interface SocketsResult {
  sockets: number;
  opened: number;
  openErrors: Record<string, number>;
  gotDelta: number;
  gotFinal: number;
  /** final message text = the deltas rebuilt by offset */
  matched: number;
  /** final message text = the model's reply (not the scripted fallback) */
  generated: number;
  /** error frames, closes before the final message, and sockets still waiting at the deadline, by kind */
  errors: Record<string, number>;
  /** say → first delta, and say → final message, over the sockets that got them */
  firstDelta: LatencySummary;
  final: LatencySummary;
  wallMs: number;
  modelCalls: number;
  /** model streams open at one moment, at most */
  mostStreamsAtOnce: number;
}

/** One user's socket and what it saw of its turn. */
class StreamWatch {
  readonly deltas: Delta[] = [];
  sentAt = 0;
  firstDeltaAt: number | null = null;
  finalAt: number | null = null;
  finalText: string | null = null;
  trouble: string | null = null;
  private done: () => void = () => undefined;
  readonly finished = new Promise<void>((resolve) => {
    this.done = resolve;
  });

  constructor(
    readonly socket: WebSocket,
    private readonly clientMessageId: string,
  ) {
    socket.addEventListener("message", (event) => this.onFrame(event.data));
    socket.addEventListener("close", (event) => this.end(`closed ${event.code}`));
  }

  say(): void {
    this.sentAt = performance.now();
    this.socket.send(JSON.stringify({ type: "say", text: QUESTION, clientMessageId: this.clientMessageId }));
  }

  end(trouble: string | null): void {
    if (this.finalAt === null && this.trouble === null) this.trouble = trouble;
    this.done();
  }

  private onFrame(data: unknown): void {
    if (typeof data !== "string" || this.sentAt === 0) return;
    const frame = JSON.parse(data) as { type: string; role?: string; text?: string; offset?: number; code?: string; clientMessageId?: string };
    if (frame.type === "delta" && frame.clientMessageId === this.clientMessageId) {
      this.firstDeltaAt ??= performance.now();
      this.deltas.push({ offset: frame.offset ?? 0, text: frame.text ?? "" });
    } else if (frame.type === "message" && frame.role === "bot" && this.finalAt === null) {
      this.finalAt = performance.now();
      this.finalText = frame.text ?? "";
      this.end(null);
    } else if (frame.type === "error") {
      this.end(`error frame ${frame.code ?? "?"}`);
    }
  }
}

function open(url: string, token: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, ["parley.v1", `bearer.${token}`]);
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error("open timed out"));
    }, OPEN_TIMEOUT_MS);
    socket.addEventListener("open", () => {
      clearTimeout(timer);
      socket.send(JSON.stringify({ type: "hello", since: 0 }));
      resolve(socket);
    });
    socket.addEventListener("error", () => {
      clearTimeout(timer);
      reject(new Error("upgrade failed"));
    });
  });
}

function countBy(kinds: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of kinds) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

async function openAll(origin: string, runId: string, count: number): Promise<{ watches: StreamWatch[]; openErrors: string[] }> {
  const users = Array.from({ length: count }, (_, i) => `${runId}-ws-${i}`);
  const tokens = new TokenBook();
  await tokens.mint(users);
  const url = `${origin.replace(/^http/, "ws")}/v1/ws`;
  const watches: StreamWatch[] = [];
  const openErrors: string[] = [];
  await runAll(count, 32, async (i) => {
    const user = users[i] ?? "";
    try {
      watches.push(new StreamWatch(await open(url, await tokens.get(user)), `${runId}-say-${i}`));
      return { ok: true };
    } catch (error) {
      openErrors.push(error instanceof Error ? error.message : String(error));
      return { ok: false, kind: "open" };
    }
  });
  return { watches, openErrors };
}

export async function measureSockets(origin: string, fake: TimedFake, options: { runId: string; sockets: number; deadlineMs: number }): Promise<SocketsResult> {
  const { watches, openErrors } = await openAll(origin, options.runId, options.sockets);
  // Let every hello settle (new users: nothing to replay) before the crowd speaks.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  fake.reset();
  const started = performance.now();
  for (const watch of watches) watch.say();
  const deadline = setTimeout(() => {
    for (const watch of watches) watch.end("no final message by the deadline");
  }, options.deadlineMs);
  await Promise.all(watches.map((watch) => watch.finished));
  clearTimeout(deadline);
  const wallMs = performance.now() - started;
  for (const watch of watches) watch.socket.close(1000);
  const finals = watches.filter((watch) => watch.finalText !== null);
  return {
    sockets: options.sockets,
    opened: watches.length,
    openErrors: countBy(openErrors),
    gotDelta: watches.filter((watch) => watch.deltas.length > 0).length,
    gotFinal: finals.length,
    matched: finals.filter((watch) => watch.finalText === rebuild(watch.deltas)).length,
    generated: finals.filter((watch) => watch.finalText === MODEL_REPLY).length,
    errors: countBy(watches.flatMap((watch) => (watch.trouble === null ? [] : [watch.trouble]))),
    firstDelta: summarize(Float64Array.from(watches.flatMap((watch) => (watch.firstDeltaAt === null ? [] : [watch.firstDeltaAt - watch.sentAt])))),
    final: summarize(Float64Array.from(finals.map((watch) => (watch.finalAt ?? 0) - watch.sentAt))),
    wallMs,
    modelCalls: fake.calls.length,
    mostStreamsAtOnce: mostAtOnce(fake.calls),
  };
}
