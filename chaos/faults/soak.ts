/**
 * The soak (`--soak-minutes N`): mixed load for N minutes — REST turns over a few hundred users,
 * socket turns, streamed replies, voice jobs and cash draws (chaos/soak-mix.ts) — with every turn
 * checked at the end like any other fault; then
 * {@link IDLE_MINUTES} without load. Per minute: the REST p99, the errors, and what holds the
 * runtime's memory — its RSS, the isolate's JavaScript heap (resident actors' state and Parley's
 * per-isolate caches) and the conversation actors whose databases are
 * open (the resident actors). Drawn into docs/reliability-soak.svg.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { summarize } from "../../bench/stats.js";
import type { SoakPart } from "../args.js";
import { SOAK_PARTS } from "../args.js";
import type { ChaosContext } from "../fault.js";
import { checkUsers, sleep } from "../fault.js";
import type { FaultFigures } from "../figures.js";
import { Tally, figuresOf } from "../figures.js";
import type { SentTurn } from "../invariants.js";
import { isolateHeap } from "../isolate-heap.js";
import { sendTurn } from "../outbox.js";
import type { ProbeSample } from "../runtime-probe.js";
import { RuntimeProbe } from "../runtime-probe.js";
import type { MixCounts } from "../soak-mix.js";
import { checkDraws, drawLoop, setUpMix, streamLoop, voiceLoop } from "../soak-mix.js";
import { lineChart } from "../svg.js";
import { UserSocket } from "../user-socket.js";

const REST_WORKERS = 8;
const USERS = 400;
const SOCKET_USERS = 16;
/** Minutes without load after the soak: do the resident actors go, and does their memory? */
export const IDLE_MINUTES = 3;

export interface SoakMinute {
  minute: number;
  turns: number;
  errors: number;
  p99Ms: number;
  rssMiB: number;
  /** the isolate's JS heap in use, the lowest of the minute's samples; NaN if the inspector did not answer */
  heapMiB: number;
  /** conversation actors resident (their databases open), at most in the minute */
  actors: number;
}

export interface SoakPlan {
  minutes: number;
  /** parts of the mix left out, to tell which costs the time */
  without: readonly SoakPart[];
}

export async function soak(context: ChaosContext, plan: SoakPlan, docsDir: string): Promise<{ figures: FaultFigures; perMinute: SoakMinute[] }> {
  const { minutes, without } = plan;
  const tally = new Tally();
  const sent = new Map<string, SentTurn[]>();
  const campaign = await setUpMix(context);
  const counts: MixCounts = { streams: 0, voiceJobs: 0, draws: 0 };
  const probe = new RuntimeProbe(context.dev, 5_000);
  const started = Date.now();
  const end = started + minutes * 60_000;
  const buckets = Array.from({ length: minutes }, () => ({ latencies: [] as number[], errors: 0 }));
  const heaps = sampleHeapEachMinute(context, started, minutes + IDLE_MINUTES);
  const bucket = () => buckets[Math.min(minutes - 1, Math.floor((Date.now() - started) / 60_000))];
  probe.start();
  const rest = async (worker: number) => {
    for (let n = 0; Date.now() < end; n++) {
      const user = `${context.runId}-soak-u${(worker + n * REST_WORKERS) % USERS}`;
      const turns = sent.get(user) ?? [];
      sent.set(user, turns);
      const t0 = performance.now();
      const before = tally.acknowledged;
      turns.push(
        await sendTurn(context.api, user, n % 2 === 0 ? "hello" : "do you have running shoes?", `${user}-m${turns.length}`, tally, Date.now() + 30_000),
      );
      const into = bucket();
      if (tally.acknowledged > before) into?.latencies.push(performance.now() - t0);
      else if (into) into.errors++;
    }
  };
  const sockets = Array.from({ length: SOCKET_USERS }, async (_, i) => {
    const user = `${context.runId}-soak-ws${i}`;
    const socket = await UserSocket.open(context.api.origin, await context.api.tokens.get(user), 0);
    for (let n = 0; Date.now() < end; n++) {
      // The reply is awaited frame by frame: re-counting the socket's whole log on every frame
      // made the load generator's own work grow with the soak (it was the p99's climb).
      const reply = socket.nextFrame((frame) => frame.role === "bot", 10_000);
      socket.say("hello", `${user}-s${n}`);
      await reply;
      await sleep(1_000);
    }
    socket.raw.drop();
  });
  const parts: Record<SoakPart, () => Promise<void>> = {
    streams: () => streamLoop(context, end, sent, tally, counts),
    voice: () => voiceLoop(context, end, tally, counts),
    draws: () => drawLoop(context, campaign, end, sent, tally, counts),
  };
  const mix = SOAK_PARTS.filter((part) => !without.includes(part)).map((part) => parts[part]());
  await Promise.all([...Array.from({ length: REST_WORKERS }, (_, i) => rest(i)), ...sockets, ...mix]);
  await checkUsers(context.api, sent, tally);
  const draws = await checkDraws(context, campaign, tally);
  const idleFrom = Date.now();
  await sleep(Math.max(0, started + (minutes + IDLE_MINUTES) * 60_000 - Date.now()));
  const samples = probe.stop();
  const heapMiB = await heaps;
  const perMinute = [...buckets, ...Array.from({ length: IDLE_MINUTES }, () => ({ latencies: [] as number[], errors: 0 }))].map((b, i) => {
    const inMinute = samples.filter((s) => s.at >= i * 60_000 && s.at < (i + 1) * 60_000);
    return {
      minute: i + 1,
      turns: b.latencies.length,
      errors: b.errors,
      p99Ms: b.latencies.length > 0 ? summarize(b.latencies).p99 : Number.NaN,
      rssMiB: Math.max(0, ...inMinute.map((s) => s.rssMiB)),
      heapMiB: heapMiB[i] ?? Number.NaN,
      actors: Math.max(0, ...inMinute.map((s) => s.conversationDatabases)),
    };
  });
  writeFileSync(join(docsDir, "reliability-soak.svg"), soakChart(minutes, perMinute));
  tally.notes.push(
    `per minute (turns, errors, p99 ms, runtime RSS MiB, JS heap MiB (lowest sample), resident conversation actors): ${perMinute.map(minuteNote).join("; ")}`,
    `beside the REST turns: ${counts.streams} streamed replies, ${counts.voiceJobs} voice jobs done, ${counts.draws} draws — ${draws}`,
    `minutes ${minutes + 1}–${minutes + IDLE_MINUTES} without load (from ${new Date(idleFrom).toISOString()}): at the end ${idleNote(samples.at(-1), heapMiB.at(-1))}`,
  );
  const beside = without.length === 0 ? "streamed replies, voice jobs and cash draws" : `the mix without ${without.join(", ")}`;
  const runs = `${minutes} min: ${REST_WORKERS} REST loops over ${USERS} users, ${SOCKET_USERS} sockets saying once a second, ${beside}`;
  return { figures: figuresOf("soak (mixed load)", runs, tally, (Date.now() - started) / 1000), perMinute };
}

/** The isolate's heap each minute from the soak's start: the lowest of four samples (see isolate-heap.ts). */
async function sampleHeapEachMinute(context: ChaosContext, started: number, minutes: number): Promise<number[]> {
  const heaps: number[] = [];
  for (let minute = 0; minute < minutes; minute++) {
    const samples: number[] = [];
    for (let quarter = 1; quarter <= 4; quarter++) {
      await sleep(Math.max(0, started + minute * 60_000 + quarter * 15_000 - 3_000 - Date.now()));
      const usage = await isolateHeap(context.dev.inspectorPort);
      if (usage) samples.push(usage.usedMiB);
    }
    heaps.push(samples.length > 0 ? Math.min(...samples) : Number.NaN);
  }
  return heaps;
}

function soakChart(minutes: number, perMinute: readonly SoakMinute[]): string {
  return lineChart(
    `Soak: ${minutes} min of mixed load, then ${IDLE_MINUTES} idle (npm run chaos -- --soak-minutes ${minutes})`,
    { name: "p99", unit: "ms", color: "#c0392b", values: perMinute.map((m) => m.p99Ms) },
    { name: "runtime RSS", unit: "MiB", color: "#2471a3", values: perMinute.map((m) => m.rssMiB) },
    { name: "JS heap", unit: "MiB", color: "#1e8449", values: perMinute.map((m) => m.heapMiB) },
  );
}

function minuteNote(m: SoakMinute): string {
  const p99 = Number.isFinite(m.p99Ms) ? m.p99Ms.toFixed(0) : "–";
  const heap = Number.isFinite(m.heapMiB) ? m.heapMiB.toFixed(0) : "?";
  return `${m.minute}: ${m.turns}, ${m.errors}, ${p99}, ${m.rssMiB.toFixed(0)}, ${heap}, ${m.actors}`;
}

function idleNote(last: ProbeSample | undefined, heapMiB: number | undefined): string {
  if (!last) return "no sample";
  const heap = heapMiB !== undefined && Number.isFinite(heapMiB) ? `${heapMiB.toFixed(0)} MiB` : "unknown";
  return `${last.conversationDatabases} conversation actors resident, JS heap ${heap}, runtime RSS ${last.rssMiB.toFixed(0)} MiB, ${last.openFiles} open files`;
}
