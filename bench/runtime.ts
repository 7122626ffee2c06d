/**
 * Runs one system under wrangler's dev server — started the same way for all — and watches
 * the memory of its workerd processes while it serves.
 */

import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const RSS_SAMPLE_MS = 250;
const READY_TIMEOUT_MS = 90_000;
const LOG_TAIL_CHARS = 8_000;

/** What a workload needs of a running system. */
export interface Target {
  origin: string;
  /** CPU time (user + system) the system's processes have used so far, ms, split by process */
  cpuMs(): CpuSplit;
}

/**
 * wrangler's dev server runs two workerd processes: its dev proxy (the one listening on the
 * public port; it does not exist in production) and the runtime serving the Worker and its
 * actors. Around them, wrangler itself (Node) reads the runtime's console lines.
 */
export interface CpuSplit {
  worker: number;
  proxy: number;
  /** wrangler's Node processes (the dev server and its launcher) */
  host: number;
}

export interface RunningSystem extends Target {
  /** peak RSS of the workerd processes so far, MiB */
  peakRssMiB(): number;
  /** the last lines wrangler wrote, for a failure message */
  logTail(): string;
  /**
   * Stops the whole process tree and removes the persisted state; resolves with the peak RSS.
   * `inspect` reads the state in between (the actors' databases), once every process is gone.
   */
  stop(inspect?: (persistDir: string) => Promise<void>): Promise<number>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface ProcEntry {
  pid: number;
  ppid: number;
  comm: string;
}

export function readProcs(): ProcEntry[] {
  const entries: ProcEntry[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      // comm is in parentheses and may itself contain spaces or parentheses.
      const open = stat.indexOf("(");
      const close = stat.lastIndexOf(")");
      const fields = stat.slice(close + 2).split(" ");
      entries.push({ pid: Number(name), ppid: Number(fields[1]), comm: stat.slice(open + 1, close) });
    } catch {
      // the process ended while we looked
    }
  }
  return entries;
}

/** Every descendant of `root` (not `root` itself). */
export function processTree(root: number, procs: readonly ProcEntry[] = readProcs()): ProcEntry[] {
  const children = new Map<number, ProcEntry[]>();
  for (const proc of procs) {
    const siblings = children.get(proc.ppid);
    if (siblings) siblings.push(proc);
    else children.set(proc.ppid, [proc]);
  }
  const tree: ProcEntry[] = [];
  const queue = [root];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    for (const child of children.get(pid) ?? []) {
      tree.push(child);
      queue.push(child.pid);
    }
  }
  return tree;
}

function rssKiB(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

const TICKS_PER_S = 100; // USER_HZ: /proc reports CPU times in these on Linux

function cpuTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]); // utime + stime
  } catch {
    return 0;
  }
}

function listensOn(pid: number, port: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8")
      .split("\0")
      .some((arg) => arg.endsWith(`=127.0.0.1:${port}`));
  } catch {
    return false;
  }
}

/** CPU time used so far under `root` (itself included), ms: the dev proxy, the runtime, wrangler. */
export function cpuMs(root: number, publicPort: number): CpuSplit {
  const split = { worker: 0, proxy: 0, host: (cpuTicks(root) * 1000) / TICKS_PER_S };
  for (const proc of processTree(root)) {
    const ms = (cpuTicks(proc.pid) * 1000) / TICKS_PER_S;
    if (proc.comm !== "workerd") split.host += ms;
    else if (listensOn(proc.pid, publicPort)) split.proxy += ms;
    else split.worker += ms;
  }
  return split;
}

/** Sum of the RSS of the workerd processes under `root`, MiB. */
export function workerdRssMiB(root: number): number {
  let total = 0;
  for (const proc of processTree(root)) if (proc.comm === "workerd") total += rssKiB(proc.pid);
  return total / 1024;
}

function exited(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

const READY_PATH = "/healthz";

/** Resolves once `/healthz` answers 2xx; throws when `child` exits first or after 90 s. */
export async function waitReady(origin: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = "no answer";
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`wrangler exited (${child.exitCode ?? child.signalCode}) before it was ready`);
    try {
      const response = await fetch(origin + READY_PATH, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.ok) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`not ready after ${READY_TIMEOUT_MS / 1000} s (${READY_PATH}: ${last})`);
}

const DEV_SERVER = join(dirname(fileURLToPath(import.meta.url)), "dev-server.ts");

/** `node --import tsx bench/dev-server.ts --config <config> --port <port> --persist-to <dir> ...`, in its own process group. */
function spawnDevServer(config: string, cwd: string, port: number, persistDir: string, vars: Readonly<Record<string, string>>): ChildProcess {
  const registryDir = join(persistDir, "dev-registry");
  const args = ["--import", "tsx", DEV_SERVER, "--config", config, "--port", String(port), "--persist-to", persistDir, "--registry", registryDir];
  for (const [name, value] of Object.entries(vars)) args.push("--var", `${name}:${value}`);
  // detached: wrangler and its workerd children get their own process group, stopped as one.
  return spawn(process.execPath, args, {
    cwd,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: isolatedWranglerEnv(registryDir, join(persistDir, "wrangler.log")),
  });
}

/**
 * The environment of a `wrangler dev` that is measured or tortured. No network: Miniflare would
 * otherwise try to download `request.cf` data at start, fail after a DNS timeout, and reload the
 * runtime under load ("Your worker restarted mid-request"). A private dev registry: other
 * `wrangler dev` sessions on the machine (tests, other developers) registering and leaving must
 * not disturb this one. wrangler appends every console line of the Worker to a debug log: this
 * instance's goes to `logPath` instead of piling up under ~/.config/.wrangler/logs.
 */
export function isolatedWranglerEnv(registryDir: string, logPath: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    WRANGLER_SEND_METRICS: "false",
    CLOUDFLARE_CF_FETCH_ENABLED: "false",
    WRANGLER_REGISTRY_PATH: registryDir,
    WRANGLER_LOG_PATH: logPath,
    NO_COLOR: "1",
    FORCE_COLOR: "0",
  };
}

/** SIGTERM to the group, SIGKILL if it lingers, then whatever of `tree` left the group or outlived its parent. */
export async function killTree(child: ChildProcess, rootPid: number, tree: readonly ProcEntry[]): Promise<void> {
  const signal = (pid: number, name: NodeJS.Signals) => {
    try {
      process.kill(pid, name);
    } catch {
      // already gone
    }
  };
  signal(-rootPid, "SIGTERM");
  if (!(await exited(child, 5_000))) {
    signal(-rootPid, "SIGKILL");
    await exited(child, 2_000);
  }
  const alive = new Map(readProcs().map((entry) => [entry.pid, entry.comm]));
  for (const proc of tree) {
    // gone, or the pid now belongs to someone else
    if (alive.get(proc.pid) === proc.comm) signal(proc.pid, "SIGKILL");
  }
}

/** The last characters a process wrote to stdout and stderr, as they come. */
function outputTail(child: ChildProcess): () => string {
  let tail = "";
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString("utf8")).slice(-LOG_TAIL_CHARS);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  return () => tail;
}

/**
 * wrangler's dev server without a DevTools session (see dev-server.ts), once `/healthz` answers
 * 2xx. `vars` are more of the Worker's variables (`--var NAME:VALUE`).
 */
export async function startSystem(config: string, cwd: string, vars: Readonly<Record<string, string>> = {}): Promise<RunningSystem> {
  const port = await freePort();
  const persistDir = mkdtempSync(join(tmpdir(), "parley-bench-"));
  const child = spawnDevServer(config, cwd, port, persistDir, vars);
  const logTail = outputTail(child);
  const rootPid = child.pid ?? -1;
  let peak = 0;
  const sample = () => {
    peak = Math.max(peak, workerdRssMiB(rootPid));
  };
  const sampler = setInterval(sample, RSS_SAMPLE_MS);
  let stopped: Promise<number> | undefined;
  const stop = (inspect?: (dir: string) => Promise<void>): Promise<number> => {
    stopped ??= (async () => {
      sample();
      clearInterval(sampler);
      await killTree(child, rootPid, processTree(rootPid));
      try {
        await inspect?.(persistDir);
      } finally {
        rmSync(persistDir, { recursive: true, force: true });
      }
      return peak;
    })();
    return stopped;
  };
  const origin = `http://127.0.0.1:${port}`;
  try {
    await waitReady(origin, child);
  } catch (error) {
    await stop();
    throw new Error(`${config}: ${error instanceof Error ? error.message : String(error)}\n${logTail().trim()}`);
  }
  sample();
  return { origin, cpuMs: () => cpuMs(rootPid, port), peakRssMiB: () => peak, logTail, stop };
}
