/** What every fault gets to work with, and what it gives back. */
import { runAll } from "../bench/load.js";
import type { ParleyApi } from "./api.js";
import { ParleyApi as Api } from "./api.js";
import type { DevServer } from "./dev.js";
import type { FaultFigures, Tally } from "./figures.js";
import type { HistoryMessage, SentTurn } from "./invariants.js";
import { addViolations, checkHistory, exportBreaks } from "./invariants.js";

export interface ChaosContext {
  dev: DevServer;
  api: ParleyApi;
  /** a short version for CI */
  smoke: boolean;
  /** seeds every generator: a run can be repeated */
  seed: number;
  /** a prefix for this run's user ids, so that runs on one state never share a user */
  runId: string;
}

export interface Fault {
  /** the name `--only` selects it by */
  name: string;
  run(context: ChaosContext): Promise<FaultFigures>;
}

/** Reads each user's history and export and checks them against what was sent; counts into `tally`. */
export async function checkUsers(api: ParleyApi, sent: ReadonlyMap<string, readonly SentTurn[]>, tally: Tally): Promise<void> {
  const entries = [...sent];
  const reads = await runAll(entries.length, 16, async (index) => {
    const [userId, turns] = entries[index] ?? ["", []];
    const { messages } = await api.history(userId);
    addViolations(tally.violations, checkHistory(userId, turns, messages));
    checkExport(userId, await api.exportText(userId), tally, messages);
    return { ok: true };
  });
  // A check that could not read what it checks is a failure, not a pass.
  if (reads.errors > 0) tally.broke(`${reads.errors} users' history or export could not be read: ${JSON.stringify(reads.errorKinds)}`);
}

/** An export runs 1, 2, 3, … and holds every message of history. */
export function checkExport(userId: string, ndjson: string, tally: Tally, messages?: readonly HistoryMessage[]): void {
  const seqs = Api.exportSeqs(ndjson);
  const breaks = exportBreaks(seqs);
  if (breaks > 0) tally.broke(`${userId}: export seqs break ${breaks} times (${seqs.length} events)`);
  if (messages === undefined) return;
  const exported = new Set(seqs);
  const missing = messages.filter((message) => !exported.has(message.seq)).length;
  if (missing > 0) tally.broke(`${userId}: ${missing} messages of history missing from the export`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
