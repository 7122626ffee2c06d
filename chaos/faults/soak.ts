/**
 * The soak (`--soak-minutes N`): mixed load for N minutes — REST turns over a few hundred users,
 * socket turns, voice jobs — with every turn checked at the end like any other fault, and per
 * minute the REST p99, the errors and the runtime process's memory, drawn into
 * docs/reliability-soak.svg.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { summarize } from "../../bench/stats.js";
import type { ChaosContext } from "../fault.js";
import { checkUsers, sleep } from "../fault.js";
import type { FaultFigures } from "../figures.js";
import { Tally, figuresOf } from "../figures.js";
import type { SentTurn } from "../invariants.js";
import { sendTurn } from "../outbox.js";
import { RuntimeProbe } from "../runtime-probe.js";
import { lineChart } from "../svg.js";
import { UserSocket } from "../user-socket.js";

const REST_WORKERS = 8;
const USERS = 400;
const SOCKET_USERS = 16;

export interface SoakMinute {
  minute: number;
  turns: number;
  errors: number;
  p99Ms: number;
  rssMiB: number;
}

export async function soak(context: ChaosContext, minutes: number, docsDir: string): Promise<{ figures: FaultFigures; perMinute: SoakMinute[] }> {
  const tally = new Tally();
  const sent = new Map<string, SentTurn[]>();
  const probe = new RuntimeProbe(context.dev, 5_000);
  const started = Date.now();
  const end = started + minutes * 60_000;
  const buckets = Array.from({ length: minutes }, () => ({ latencies: [] as number[], errors: 0 }));
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
      const replies = socket.frames.filter((frame) => frame.role === "bot").length;
      socket.say("hello", `${user}-s${n}`);
      await socket.waitFor(() => socket.frames.filter((frame) => frame.role === "bot").length > replies, 10_000);
      await sleep(1_000);
    }
    socket.raw.drop();
  });
  await Promise.all([...Array.from({ length: REST_WORKERS }, (_, i) => rest(i)), ...sockets]);
  const samples = probe.stop();
  await checkUsers(context.api, sent, tally);
  const perMinute = buckets.map((b, i) => {
    const inMinute = samples.filter((s) => s.at >= i * 60_000 && s.at < (i + 1) * 60_000);
    return {
      minute: i + 1,
      turns: b.latencies.length,
      errors: b.errors,
      p99Ms: summarize(b.latencies).p99,
      rssMiB: Math.max(0, ...inMinute.map((s) => s.rssMiB)),
    };
  });
  const chart = lineChart(
    `Soak: ${minutes} min of mixed load (npm run chaos -- --soak-minutes ${minutes})`,
    { name: "p99", unit: "ms", color: "#c0392b", values: perMinute.map((m) => m.p99Ms) },
    { name: "runtime RSS", unit: "MiB", color: "#2471a3", values: perMinute.map((m) => m.rssMiB) },
  );
  writeFileSync(join(docsDir, "reliability-soak.svg"), chart);
  tally.notes.push(
    `per minute (turns, errors, p99 ms, runtime RSS MiB): ${perMinute.map((m) => `${m.minute}: ${m.turns}, ${m.errors}, ${m.p99Ms.toFixed(0)}, ${m.rssMiB.toFixed(0)}`).join("; ")}`,
  );
  const runs = `${minutes} min: ${REST_WORKERS} REST loops over ${USERS} users, ${SOCKET_USERS} sockets saying once a second`;
  return { figures: figuresOf("soak (mixed load)", runs, tally, (Date.now() - started) / 1000), perMinute };
}
