/**
 * SQLite rows written per turn by Parley's conversation actors, counted in their databases once
 * the runtime has stopped (the bill's largest line is rows written: bench/README.md → "The bill").
 *
 * Miniflare keeps each actor's SQLite database under `<persist>/v3/do/<worker>-<class>/`, with the
 * name it was addressed by (the user id) in a table of its own, and pending alarms in the
 * namespace's `metadata.sqlite`. Read with Python's standard sqlite3 module: Node 20 has no SQLite
 * of its own, and the machine's python3 needs nothing installed.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { WorkloadName } from "./args.js";

const run = promisify(execFile);

/** One actor's database, as the script reads it. */
export interface ActorRows {
  /** the name it was addressed by: the user id */
  name: string;
  /** rows in its own tables (every table but SQLite's, the runtime's and Miniflare's) */
  rows: number;
  /** text turns it committed: one dedupe record each */
  turns: number;
  /** an alarm is set (billed as one row written; it will fire as one request) */
  alarm: boolean;
}

export interface RowsPerTurn {
  /** rows in the actors' tables, and their set alarms, per committed turn */
  rowsWritten: number;
  /** set alarms per committed turn */
  alarms: number;
  turns: number;
  actors: number;
}

// Rows present once the run is over: an UPDATE or a DELETE leaves none, so this is the floor of
// what was written (bench/README.md says what it leaves out).
const SCRIPT = `
import glob, json, os, sqlite3, sys
persist, cls = sys.argv[1], sys.argv[2]
out = []
def own(name):
    return not name.startswith(("sqlite_", "_cf_", "__miniflare"))
for folder in glob.glob(os.path.join(persist, "v3", "do", "*-" + cls)):
    alarms = set()
    try:
        db = sqlite3.connect(os.path.join(folder, "metadata.sqlite"))
        alarms = {r[0] for r in db.execute("SELECT actor_name FROM _cf_ALARM WHERE scheduled_time IS NOT NULL")}
        db.close()
    except sqlite3.Error:
        pass
    for path in glob.glob(os.path.join(folder, "*.sqlite")):
        if os.path.basename(path) == "metadata.sqlite":
            continue
        db = sqlite3.connect(path)
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        rows = sum(db.execute('SELECT count(*) FROM "%s"' % t).fetchone()[0] for t in tables if own(t))
        turns = db.execute("SELECT count(*) FROM meta WHERE key >= 'dedupe:' AND key < 'dedupe;'").fetchone()[0] if "meta" in tables else 0
        named = db.execute("SELECT name FROM __miniflare_do_name").fetchone() if "__miniflare_do_name" in tables else None
        name = named[0] if named else ""
        out.append({"name": name, "rows": rows, "turns": turns, "alarm": name in alarms})
        db.close()
print(json.dumps(out))
`;

/** Every `className` actor's rows in a stopped instance's persisted state. */
export async function readActorRows(persistDir: string, className = "ConversationActor"): Promise<ActorRows[]> {
  const { stdout } = await run("python3", ["-c", SCRIPT, persistDir, className], { maxBuffer: 64 << 20 });
  return JSON.parse(stdout) as ActorRows[];
}

/** The workload a benchmark user belongs to, by the id workloads.ts gave it (`…-steady-12`). */
export function workloadOfUser(userId: string): WorkloadName | undefined {
  const match = /-(steady|cold|ws)-\d+$/.exec(userId);
  if (!match) return undefined;
  return match[1] === "ws" ? "socket" : (match[1] as "steady" | "cold");
}

/** Rows and alarms per committed turn, for each workload whose users committed any. */
export function rowsPerTurnByWorkload(actors: readonly ActorRows[]): Partial<Record<WorkloadName, RowsPerTurn>> {
  const sums = new Map<WorkloadName, { rows: number; alarms: number; turns: number; actors: number }>();
  for (const actor of actors) {
    const workload = workloadOfUser(actor.name);
    if (workload === undefined) continue;
    const sum = sums.get(workload) ?? { rows: 0, alarms: 0, turns: 0, actors: 0 };
    const alarm = actor.alarm ? 1 : 0;
    sums.set(workload, { rows: sum.rows + actor.rows + alarm, alarms: sum.alarms + alarm, turns: sum.turns + actor.turns, actors: sum.actors + 1 });
  }
  const perTurn: Partial<Record<WorkloadName, RowsPerTurn>> = {};
  for (const [workload, sum] of sums) {
    if (sum.turns > 0) perTurn[workload] = { rowsWritten: sum.rows / sum.turns, alarms: sum.alarms / sum.turns, turns: sum.turns, actors: sum.actors };
  }
  return perTurn;
}
