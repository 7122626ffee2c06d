/**
 * What the runtime process is doing, read from /proc once a second while a fault runs: its pid
 * (a new pid is a restart), resident memory, open files and memory mappings — each SQLite
 * database an actor opens holds files and mappings — and what wrangler wrote to its debug log.
 */
import { readFileSync, readdirSync, readlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import type { DevServer } from "./dev.js";

export interface ProbeSample {
  /** ms since the probe started */
  at: number;
  pid: number | undefined;
  rssMiB: number;
  openFiles: number;
  mappings: number;
  /** conversation actors' SQLite databases the runtime holds open: the resident conversation actors */
  conversationDatabases: number;
}

export class RuntimeProbe {
  readonly samples: ProbeSample[] = [];
  private readonly started = Date.now();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly dev: DevServer,
    private readonly everyMs = 1_000,
  ) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.everyMs);
  }

  stop(): ProbeSample[] {
    clearInterval(this.timer);
    this.sample();
    return this.samples;
  }

  /** Distinct runtime pids seen: more than one means the runtime was restarted. */
  pids(): number[] {
    return [...new Set(this.samples.flatMap((sample) => (sample.pid === undefined ? [] : [sample.pid])))];
  }

  peak(field: "rssMiB" | "openFiles" | "mappings"): number {
    return this.samples.reduce((max, sample) => Math.max(max, sample[field]), 0);
  }

  private sample(): void {
    const pid = this.dev.runtimePid();
    this.samples.push({
      at: Date.now() - this.started,
      pid,
      rssMiB: pid ? rssMiB(pid) : 0,
      openFiles: pid ? count(`/proc/${pid}/fd`) : 0,
      mappings: pid ? lines(`/proc/${pid}/maps`) : 0,
      conversationDatabases: pid ? openDatabases(pid, "-ConversationActor") : 0,
    });
  }
}

function rssMiB(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

function count(dir: string): number {
  try {
    return readdirSync(dir).length;
  } catch {
    return 0;
  }
}

/** Open files of `pid` that are a database (`<id>.sqlite`, not its -wal or -shm) of the Durable Object class whose directory ends with `classDir`. */
export function openDatabases(pid: number, classDir: string): number {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return 0;
  }
  let open = 0;
  for (const fd of fds) {
    try {
      const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      if (target.endsWith(".sqlite") && !target.endsWith("/metadata.sqlite") && dirname(target).endsWith(classDir)) open++;
    } catch {
      // closed meanwhile
    }
  }
  return open;
}

function lines(file: string): number {
  try {
    return readFileSync(file, "utf8").split("\n").length - 1;
  } catch {
    return 0;
  }
}

/** Lines of wrangler's debug logs (under the state dir) that tell of reloads, runtime exits or errors. */
export function runtimeEvents(persistDir: string, sinceMs = 0): string[] {
  const dir = join(persistDir, "wrangler-logs");
  let files: string[] = [];
  try {
    files = readdirSync(dir).map((file) => join(dir, file));
  } catch {
    return [];
  }
  files.push(join(persistDir, "dev.log"));
  const pattern =
    /Reloading local server|Starting local server|SQLITE_|exited|crash|restart|Error|error:|terminated|uncaught|Network connection lost|disconnected/i;
  const out: string[] = [];
  for (const file of files) {
    let text = "";
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue;
    }
    let stamp = "";
    for (const line of text.split("\n")) {
      const header = /^--- (\S+) /.exec(line);
      if (header?.[1]) stamp = header[1];
      else if (pattern.test(line) && !line.includes("getIsolateId") && Date.parse(/^(\d{4}-\S+Z) /.exec(line)?.[1] ?? stamp) >= sinceMs) {
        out.push(`${/^\d{4}-\S+Z /.test(line) ? "" : `${stamp} `}${line.trim().slice(0, 300)}`);
      }
    }
  }
  return out;
}

/**
 * The runtime's isolates as wrangler's inspector saw them: every 10 s it asks the runtime for its
 * isolate id (`Runtime.getIsolateId`), and a new isolate announces a new execution context. One id
 * and one context for the whole run: the Worker's isolate was never replaced.
 */
export function isolatesSeen(persistDir: string, sinceMs = 0): { ids: string[]; contexts: number } {
  const dir = join(persistDir, "wrangler-logs");
  const ids = new Set<string>();
  let contexts = 0;
  let files: string[] = [];
  try {
    files = readdirSync(dir).map((file) => join(dir, file));
  } catch {
    return { ids: [], contexts: 0 };
  }
  for (const file of files) {
    // one entry per "--- <time> <level>" header: only those from `sinceMs` on count
    for (const entry of readFileSync(file, "utf8").split(/^--- /m)) {
      if (Date.parse(entry.slice(0, 24)) < sinceMs) continue;
      for (const match of entry.matchAll(/result: \{ id: '([0-9a-f]+)' \}/g)) if (match[1]) ids.add(match[1]);
      if (entry.includes("Runtime.executionContextCreated")) contexts++;
    }
  }
  return { ids: [...ids], contexts };
}
