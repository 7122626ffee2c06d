/**
 * The load generator: a closed loop of `concurrency` workers on keep-alive connections, each
 * issuing its next turn as soon as the last one is answered (what autocannon does, but every
 * request carries its own user token and clientMessageId). WebSocket round trips use the
 * same loop over a set of open sockets.
 */
import { Pool, WebSocket } from "undici";
import type { CpuSplit } from "./runtime.js";
import { SampleBuffer, summarize } from "./stats.js";

export type Outcome = { ok: true } | { ok: false; kind: string };

const reported = new Set<string>();

/** Forget which error kinds were printed: each system and workload prints its own first ones. */
export function resetErrorReports(): void {
  reported.clear();
}

/** The first answer of each error kind goes to stderr: a table row says how many, this says what. */
function reportFirst(kind: string, detail: string): void {
  if (reported.has(kind)) return;
  reported.add(kind);
  process.stderr.write(`[bench] first "${kind}": ${detail.slice(0, 300).replace(/\s+/g, " ")}\n`);
}

export interface LoadStats {
  /** successful turns completed inside the measured window */
  turns: number;
  errors: number;
  errorKinds: Record<string, number>;
  seconds: number;
  turnsPerS: number;
  p50Ms: number;
  p99Ms: number;
  /** the runtime's CPU time per successful turn in the measured window, ms (when a meter is given) */
  cpuMsPerTurn: number;
  /** the same for wrangler's dev proxy in front of it */
  proxyCpuMsPerTurn: number;
  /** the same for wrangler itself (Node: the dev server, which also prints the Worker's console) */
  hostCpuMsPerTurn: number;
}

export interface ClosedLoopOptions {
  concurrency: number;
  /** unmeasured lead-in */
  warmupMs: number;
  /** the measured window lasts at least this long… */
  durationMs: number;
  /** …and, if given, until this says enough (e.g. enough distinct users took part) */
  enough?: () => boolean;
  /** …but never longer than this (measured) */
  maxDurationMs?: number;
  turn: (worker: number) => Promise<Outcome>;
  /** reads the server's CPU time (ms) at the start and end of the measured window */
  cpuMeter?: () => CpuSplit;
}

function countKind(kinds: Record<string, number>, kind: string): void {
  kinds[kind] = (kinds[kind] ?? 0) + 1;
}

/**
 * Runs turns in a closed loop; counts the turns that complete inside the measured window,
 * and their latencies.
 */
export async function closedLoop(options: ClosedLoopOptions): Promise<LoadStats> {
  const started = performance.now();
  const measureStart = started + options.warmupMs;
  const minEnd = measureStart + options.durationMs;
  const maxEnd = measureStart + (options.maxDurationMs ?? options.durationMs * 3);
  let measureEnd = Number.POSITIVE_INFINITY;
  const unmetered: CpuSplit = { worker: Number.NaN, proxy: Number.NaN, host: Number.NaN };
  let cpuAtStart = unmetered;
  let cpuAtEnd = unmetered;
  const meter = options.cpuMeter;
  const startTimer = setTimeout(() => {
    cpuAtStart = meter?.() ?? unmetered;
  }, options.warmupMs);
  const latencies = new SampleBuffer();
  const errorKinds: Record<string, number> = {};
  let errors = 0;

  const worker = async (index: number) => {
    while (measureEnd === Number.POSITIVE_INFINITY) {
      const begin = performance.now();
      let outcome: Outcome;
      try {
        outcome = await options.turn(index);
      } catch (error) {
        outcome = { ok: false, kind: describeError(error) };
        reportFirst(outcome.kind, error instanceof Error ? error.message : String(error));
      }
      const end = performance.now();
      if (end >= measureStart && end <= measureEnd) {
        if (outcome.ok) latencies.push(end - begin);
        else {
          errors++;
          countKind(errorKinds, outcome.kind);
        }
      }
      if (measureEnd === Number.POSITIVE_INFINITY && ((end >= minEnd && (options.enough?.() ?? true)) || end >= maxEnd)) {
        measureEnd = end;
        cpuAtEnd = meter?.() ?? unmetered;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, (_, index) => worker(index)));
  clearTimeout(startTimer);
  const seconds = (measureEnd - measureStart) / 1000;
  const summary = summarize(latencies.values());
  return {
    turns: summary.count,
    errors,
    errorKinds,
    seconds,
    turnsPerS: summary.count / seconds,
    p50Ms: summary.p50,
    p99Ms: summary.p99,
    cpuMsPerTurn: summary.count > 0 ? (cpuAtEnd.worker - cpuAtStart.worker) / summary.count : Number.NaN,
    proxyCpuMsPerTurn: summary.count > 0 ? (cpuAtEnd.proxy - cpuAtStart.proxy) / summary.count : Number.NaN,
    hostCpuMsPerTurn: summary.count > 0 ? (cpuAtEnd.host - cpuAtStart.host) / summary.count : Number.NaN,
  };
}

/** Runs exactly `count` jobs, `concurrency` at a time (warming actors up, opening sockets). */
export async function runAll(
  count: number,
  concurrency: number,
  job: (index: number) => Promise<Outcome>,
): Promise<{ errors: number; errorKinds: Record<string, number> }> {
  let next = 0;
  let errors = 0;
  const errorKinds: Record<string, number> = {};
  const worker = async () => {
    for (let index = next++; index < count; index = next++) {
      let outcome: Outcome;
      try {
        outcome = await job(index);
      } catch (error) {
        outcome = { ok: false, kind: describeError(error) };
      }
      if (!outcome.ok) {
        errors++;
        countKind(errorKinds, outcome.kind);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return { errors, errorKinds };
}

export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as Error & { code?: unknown }).code;
    if (typeof code === "string") return code;
    if (error.name === "TimeoutError" || error.name === "AbortError") return "timeout";
    return error.name;
  }
  return "error";
}

export interface HttpTurn {
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface HttpRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  /** aborts the request after this long, whatever stage it is at (the pool's timeouts cover headers and body only) */
  timeoutMs?: number;
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** A keep-alive pool of `connections` HTTP/1.1 connections to one origin. */
export class HttpClient {
  private readonly pool: Pool;

  constructor(origin: string, connections: number, timeoutMs = 30_000) {
    this.pool = new Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 60_000, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  }

  /** POSTs a turn; ok when the answer is 200 and carries a `reply`. */
  async post(turn: HttpTurn): Promise<Outcome> {
    const { status, text } = await this.send({ method: "POST", ...turn });
    if (status !== 200) {
      const kind = `http ${status}${errorCode(text)}`;
      reportFirst(kind, text);
      return { ok: false, kind };
    }
    if (!text.includes('"reply"')) {
      reportFirst("no reply", text);
      return { ok: false, kind: "no reply" };
    }
    return { ok: true };
  }

  /** Any request on the pool; the whole answer, whatever its status. */
  async send(request: HttpRequest): Promise<HttpAnswer> {
    const signal = request.timeoutMs === undefined ? null : AbortSignal.timeout(request.timeoutMs);
    const response = await this.pool.request({ method: request.method, path: request.path, headers: request.headers, body: request.body ?? null, signal });
    const text = await response.body.text();
    return { status: response.statusCode, headers: response.headers, text };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

function errorCode(body: string): string {
  const match = /"code"\s*:\s*"([a-z_]+)"/.exec(body);
  return match ? ` ${match[1]}` : "";
}

/** How a system speaks over its WebSocket. */
export interface SocketProtocol {
  url: string;
  protocols: string[];
  /** sent once the socket is open, e.g. Parley's `hello` */
  hello?: string;
  say: (text: string, clientMessageId: string) => string;
  /** what a server frame means for the turn in flight */
  classify: (frame: unknown) => "reply" | "ignore" | { error: string };
}

const SOCKET_TIMEOUT_MS = 30_000;

/** One open socket with at most one turn in flight. */
export class ChatSocket {
  busy = false;
  private pending: { resolve: (outcome: Outcome) => void; timer: NodeJS.Timeout } | undefined;
  private closedReason: string | undefined;

  private constructor(
    private readonly socket: WebSocket,
    private readonly protocol: SocketProtocol,
  ) {
    socket.addEventListener("message", (event) => this.onFrame(event.data));
    socket.addEventListener("close", (event) => {
      this.closedReason = `closed ${event.code}`;
      this.settle({ ok: false, kind: `socket ${this.closedReason}` });
    });
  }

  /** Opens a socket; rejects with the reason when the upgrade fails. */
  static open(protocol: SocketProtocol, timeoutMs = SOCKET_TIMEOUT_MS): Promise<ChatSocket> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(protocol.url, protocol.protocols);
      const timer = setTimeout(() => {
        socket.close();
        reject(new Error("websocket open timed out"));
      }, timeoutMs);
      socket.addEventListener("open", () => {
        clearTimeout(timer);
        if (protocol.hello !== undefined) socket.send(protocol.hello);
        resolve(new ChatSocket(socket, protocol));
      });
      socket.addEventListener("error", (event) => {
        clearTimeout(timer);
        const cause = (event as { error?: unknown }).error;
        reject(new Error(`websocket upgrade failed${cause instanceof Error ? `: ${cause.message}` : ""}`));
      });
    });
  }

  /** Sends one `say` and resolves when its reply arrives. */
  say(text: string, clientMessageId: string): Promise<Outcome> {
    if (this.closedReason !== undefined) return Promise.resolve({ ok: false, kind: `socket ${this.closedReason}` });
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.settle({ ok: false, kind: "timeout" }), SOCKET_TIMEOUT_MS);
      this.pending = { resolve, timer };
      this.socket.send(this.protocol.say(text, clientMessageId));
    });
  }

  close(): void {
    this.socket.close(1000);
  }

  private onFrame(data: unknown): void {
    if (typeof data !== "string") return;
    let frame: unknown;
    try {
      frame = JSON.parse(data);
    } catch {
      return; // not ours
    }
    const meaning = this.protocol.classify(frame);
    if (meaning === "ignore") return;
    if (meaning !== "reply") reportFirst(meaning.error, data);
    this.settle(meaning === "reply" ? { ok: true } : { ok: false, kind: meaning.error });
  }

  private settle(outcome: Outcome): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    clearTimeout(pending.timer);
    pending.resolve(outcome);
  }
}
