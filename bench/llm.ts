/**
 * The LLM benchmark (issue 22; bench/README.md "Streamed replies"):
 *
 * 1. added time to first token — warm users ask a knowledge question on a bot version with an
 *    `llm` section (`Accept: text/event-stream`), each turn paired with the fake model's own
 *    time to first token for the same request (llm-ttft.ts);
 * 2. 1,000 concurrent streams — as many sockets, all saying the question at once (llm-sockets.ts).
 *
 *   npm run bench:llm [-- --first-token-ms 50 --chunk-ms 5 --users 10 --warm-turns 3 --turns 20
 *                        --sockets 1000 --socket-chunk-ms 50 --only ttft,sockets]
 *
 * Parley runs in production shape (run.ts: a private copy of the working tree, its
 * wrangler.toml without `[assets]`, no debugger), pointed at the fake model by
 * `--var LLM_BASE_URL`; the fake runs on loopback in this process, on the client's clock.
 * Each phase gets a fresh `wrangler dev`, and the fake its own first-token and chunk delays.
 * Exit status 1 when a target is missed or a stream broke.
 */
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { startTimedFake } from "./llm-fake.js";
import { MODEL_REPLY, publishLlmShop } from "./llm-setup.js";
import type { SocketsResult } from "./llm-sockets.js";
import { measureSockets } from "./llm-sockets.js";
import type { TtftResult } from "./llm-ttft.js";
import { measureTtft } from "./llm-ttft.js";
import { machineInfo } from "./machine.js";
import type { RunningSystem } from "./runtime.js";
import { startSystem } from "./runtime.js";
import { copySource } from "./source.js";
import type { LatencySummary } from "./stats.js";
import { SYSTEM_SPECS } from "./systems.js";

const { values } = parseArgs({
  options: {
    "first-token-ms": { type: "string", default: "50" },
    "chunk-ms": { type: "string", default: "5" },
    users: { type: "string", default: "10" },
    "warm-turns": { type: "string", default: "3" },
    turns: { type: "string", default: "20" },
    sockets: { type: "string", default: "1000" },
    "socket-chunk-ms": { type: "string", default: "50" },
    "deadline-seconds": { type: "string", default: "180" },
    only: { type: "string", default: "ttft,sockets" },
  },
});
const num = (name: keyof typeof values): number => Number(values[name]);
const PHASES = new Set(String(values.only).split(","));
/** issue 22: Parley's added time to first token, p50 */
const ADDED_TTFT_P50_MS = 10;

const log = (line: string) => console.log(`[llm] ${line}`);
const ms = (s: LatencySummary) => `${s.p50.toFixed(1)} / ${s.p99.toFixed(1)}`;

/** A fresh Parley pointed at the fake, the LLM shop published as stable. */
async function withParley<T>(sourceDir: string, fakeUrl: string, version: string, work: (system: RunningSystem) => Promise<T>): Promise<T> {
  const spec = SYSTEM_SPECS.parley;
  spec.derive?.(sourceDir);
  const system = await startSystem(spec.config, sourceDir, { LLM_BASE_URL: fakeUrl });
  try {
    await publishLlmShop(system.origin, version);
    return await work(system);
  } finally {
    await system.stop();
  }
}

function ttftReport(r: TtftResult, firstTokenMs: number): string[] {
  const met = r.added.p50 <= ADDED_TTFT_P50_MS;
  return [
    `added time to first token (fake model: first token after ${firstTokenMs} ms), ${r.pairs} pairs, p50 / p99 ms:`,
    `  provider's own TTFT (client → fake directly)   ${ms(r.provider)}`,
    `  Parley's TTFT (POST → first delta event)       ${ms(r.parley)}`,
    `  Parley's added TTFT (pair by pair)             ${ms(r.added)}   target p50 ≤ ${ADDED_TTFT_P50_MS} ms: ${met ? "met" : "MISSED"}`,
    "  where Parley's time goes, p50 / p99 ms:",
    `    sent → the model's request arrives           ${ms(r.toModel)}   (direct: ${ms(r.providerToModel)})`,
    `    the model's own wait                         ${ms(r.modelOwn)}`,
    `    model's first text → client's first delta    ${ms(r.back)}   (direct: ${ms(r.providerBack)})`,
    `  whole streamed turn ${ms(r.turn)}; the same question answered by the rules alone (no \`llm\`, JSON) ${ms(r.scripted)}`,
    `  runtime CPU per turn: streamed ${r.cpu.streamed.toFixed(2)} ms (${r.cpu.pieces} deltas), streamed in one delta ${r.cpu.streamedOnePiece.toFixed(2)} ms, by the rules alone ${r.cpu.scripted.toFixed(2)} ms`,
    `  problems: ${r.problems.length === 0 ? "none" : JSON.stringify(r.problems)}`,
  ];
}

function socketsReport(r: SocketsResult, chunkMs: number): string[] {
  const clean = r.opened === r.sockets && r.gotFinal === r.sockets && r.matched === r.sockets && Object.keys(r.errors).length === 0;
  return [
    `${r.sockets} concurrent streams over sockets (model: ${chunkMs} ms between chunks of a ${MODEL_REPLY.length}-character reply):`,
    `  opened ${r.opened}${Object.keys(r.openErrors).length > 0 ? ` (open errors ${JSON.stringify(r.openErrors)})` : ""}; got ≥ 1 delta ${r.gotDelta}; got the final message ${r.gotFinal}`,
    `  streamed text (rebuilt by offset) = final message: ${r.matched}; final = the model's reply: ${r.generated}`,
    `  errors and closes: ${Object.keys(r.errors).length === 0 ? "none" : JSON.stringify(r.errors)}   target no errors: ${clean ? "met" : "MISSED"}`,
    `  model calls ${r.modelCalls}, at most ${r.mostStreamsAtOnce} streaming at once; all answered in ${(r.wallMs / 1000).toFixed(1)} s`,
    `  say → first delta p50 / p99 ${ms(r.firstDelta)} ms; say → final message ${ms(r.final)} ms`,
  ];
}

const runId = `llm${Date.now().toString(36)}`;
const source = copySource(process.cwd());
log(`serving a copy of the ${source.describe}; ${JSON.stringify({ ...machineInfo(process.cwd()), loadAverage: loadavg().map((l) => l.toFixed(2)) })}`);
const lines: string[] = [];
let failed = false;
try {
  if (PHASES.has("ttft")) {
    const fake = await startTimedFake({ firstTokenMs: num("first-token-ms"), chunkMs: num("chunk-ms"), reply: MODEL_REPLY });
    try {
      const result = await withParley(source.dir, fake.url, `${runId}-a`, (system) =>
        measureTtft(system, fake, { runId, users: num("users"), warmTurns: num("warm-turns"), turns: num("turns") }),
      );
      log(JSON.stringify(result));
      lines.push(...ttftReport(result, num("first-token-ms")));
      failed ||= result.added.p50 > ADDED_TTFT_P50_MS || result.problems.length > 0;
    } finally {
      await fake.close();
    }
  }
  if (PHASES.has("sockets")) {
    const fake = await startTimedFake({ firstTokenMs: num("first-token-ms"), chunkMs: num("socket-chunk-ms"), reply: MODEL_REPLY });
    try {
      const result = await withParley(source.dir, fake.url, `${runId}-b`, async (system) => {
        const measured = await measureSockets(system.origin, fake, { runId, sockets: num("sockets"), deadlineMs: num("deadline-seconds") * 1000 });
        log(`peak workerd RSS ${system.peakRssMiB().toFixed(0)} MiB`);
        return measured;
      });
      log(JSON.stringify(result));
      lines.push(...socketsReport(result, num("socket-chunk-ms")));
      failed ||= result.gotFinal !== result.sockets || result.matched !== result.sockets || Object.keys(result.errors).length > 0;
    } finally {
      await fake.close();
    }
  }
} finally {
  source.remove();
}
console.log(lines.join("\n"));
if (failed) process.exitCode = 1;
