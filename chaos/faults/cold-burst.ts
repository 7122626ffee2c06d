/**
 * A cold burst: thousands of new users, each sending one turn, 64 at a time, with the client's
 * retries on (same clientMessageId, jittered backoff). Figures: turns acknowledged vs lost, the
 * 503s the dev proxy gave ("Your worker restarted mid-request") and when, beside what the
 * runtime process did meanwhile (restarts, memory, open files, mappings) and what wrangler
 * logged — the evidence for the cause in docs/reliability.md.
 */
import type { ChaosContext, Fault } from "../fault.js";
import { checkUsers } from "../fault.js";
import type { FaultFigures } from "../figures.js";
import { Tally, figuresOf } from "../figures.js";
import type { SentTurn } from "../invariants.js";
import { sendTurn } from "../outbox.js";
import type { ProbeSample } from "../runtime-probe.js";
import { RuntimeProbe, isolatesSeen, runtimeEvents } from "../runtime-probe.js";

const CONCURRENCY = 64;

export const coldBurst: Fault = {
  name: "cold-burst",
  async run(context: ChaosContext): Promise<FaultFigures> {
    const count = context.smoke ? 600 : Number(process.env["CHAOS_BURST_USERS"] ?? 10_000);
    const users = Array.from({ length: count }, (_, i) => `${context.runId}-cold-u${i}`);
    const tally = new Tally();
    const sent = new Map<string, SentTurn[]>();
    const probe = new RuntimeProbe(context.dev);
    const started = Date.now();
    probe.start();
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < count; i = next++) {
        const user = users[i] ?? "";
        sent.set(user, [await sendTurn(context.api, user, "hello", `${user}-m0`, tally, Date.now() + 120_000)]);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const seconds = (Date.now() - started) / 1000;
    probe.stop();
    await checkUsers(context.api, sent, tally);
    const pids = probe.pids();
    tally.notes.push(
      `${count} new users in ${seconds.toFixed(0)} s (${(count / seconds).toFixed(0)}/s); runtime pids ${pids.join(", ")}${pids.length > 1 ? " (restarted)" : ""}; ` +
        `peak runtime RSS ${probe.peak("rssMiB").toFixed(0)} MiB, ${probe.peak("openFiles")} open files, ${probe.peak("mappings")} mappings`,
    );
    const failedAt = tally.failedAttempts.map(({ at, source }) => ({ at: at - started, kind: source === "network" ? "no answer" : `${source} 5xx` }));
    tally.notes.push(`the burst began at ${new Date(started).toISOString()}`);
    if (failedAt.length > 0) tally.notes.push(`failed attempts by second of the burst, beside the runtime just before: ${timeline(failedAt, probe.samples)}`);
    const isolates = isolatesSeen(contextPersistDir(context), started);
    tally.notes.push(
      `runtime isolates seen by the inspector during the burst: ${isolates.ids.length} (${isolates.ids.join(", ")}), ${isolates.contexts} execution contexts created`,
    );
    for (const event of runtimeEvents(contextPersistDir(context), started).slice(0, 12)) tally.notes.push(`runtime log: ${event}`);
    return figuresOf("cold burst of new users (client retries on)", `${count} new users, ${CONCURRENCY} at a time, one turn each`, tally, seconds);
  },
};

function contextPersistDir(context: ChaosContext): string {
  return context.dev.logFile.replace(/\/dev\.log$/, "");
}

/** "15 s: 63 Parley 5xx (runtime 412 MiB, 3100 files)" — each second that saw failures, and the probe's sample just before. */
function timeline(failed: readonly { at: number; kind: string }[], samples: readonly ProbeSample[]): string {
  const bySecond = new Map<string, number>();
  for (const { at, kind } of failed) {
    const key = `${Math.floor(at / 1000)}|${kind}`;
    bySecond.set(key, (bySecond.get(key) ?? 0) + 1);
  }
  return [...bySecond]
    .map(([key, n]) => {
      const [second, kind] = key.split("|");
      const sample = samples.filter((s) => s.at <= Number(second) * 1000).at(-1);
      const runtime = sample ? ` (runtime ${sample.rssMiB.toFixed(0)} MiB, ${sample.openFiles} files, ${sample.mappings} mappings)` : "";
      return `${second} s: ${n} ${kind}${runtime}`;
    })
    .join("; ");
}
