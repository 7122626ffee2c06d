/**
 * Parley as a user runs it — `npm run dev` on a loopback port — with its own persisted state,
 * so that it can be killed with SIGKILL and started again on the same local state.
 */
import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { appendFileSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ProcEntry } from "../bench/runtime.js";
import { isolatedWranglerEnv, killTree, processTree, readProcs, waitReady } from "../bench/runtime.js";

export interface DevOptions {
  /** the repository root: where `npm run dev` runs */
  root: string;
  port: number;
  /** `--inspector-port`: the DevTools protocol of the runtime, through wrangler (chaos/isolate-heap.ts) */
  inspectorPort: number;
  /** `--persist-to`: kept across crashes and restarts */
  persistDir: string;
  /** more of the Worker's variables (`--var NAME:VALUE`) */
  vars: Readonly<Record<string, string>>;
}

/** One `npm run dev` at a time; `crash` and `start` again reuse its port and state. */
export class DevServer {
  private child: ChildProcess | undefined;
  private tree: ProcEntry[] = [];
  /** how many times it was started */
  starts = 0;
  readonly origin: string;
  readonly inspectorPort: number;
  /** wrangler's and workerd's output, every start appended, each line stamped with the time it was read */
  readonly logFile: string;

  constructor(private readonly options: DevOptions) {
    this.origin = `http://127.0.0.1:${options.port}`;
    this.inspectorPort = options.inspectorPort;
    mkdirSync(options.persistDir, { recursive: true });
    this.logFile = join(options.persistDir, "dev.log");
  }

  /** `npm run dev -- --port P --ip 127.0.0.1 --persist-to DIR`, in its own process group; resolves once /healthz answers. */
  async start(): Promise<void> {
    const { root, port, persistDir, vars } = this.options;
    const args = ["run", "dev", "--", "--port", String(port), "--ip", "127.0.0.1", "--persist-to", persistDir];
    args.push("--inspector-port", String(this.options.inspectorPort));
    args.push("--show-interactive-dev-session=false", "--log-level", "warn");
    for (const [name, value] of Object.entries(vars)) args.push("--var", `${name}:${value}`);
    const child = spawn("npm", args, {
      cwd: root,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: isolatedWranglerEnv(join(persistDir, "dev-registry"), join(persistDir, "wrangler-logs")),
    });
    this.child = child;
    this.starts++;
    const stamp = (chunk: Buffer) => {
      const at = new Date().toISOString();
      const lines = chunk.toString("utf8").replace(/\n$/, "").split("\n");
      try {
        appendFileSync(this.logFile, lines.map((line) => `${at} ${line}\n`).join(""));
      } catch {
        // the state directory is gone: the run is over
      }
    };
    child.stdout?.on("data", stamp);
    child.stderr?.on("data", stamp);
    await waitReady(this.origin, child);
    this.tree = processTree(child.pid ?? -1);
  }

  /** SIGKILL to the whole process group — npm, wrangler, both workerd — as a power cut would. */
  async crash(): Promise<void> {
    const child = this.child;
    if (!child?.pid) return;
    const tree = processTree(child.pid);
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
    await new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once("exit", () => resolve())));
    const alive = new Map(readProcs().map((entry) => [entry.pid, entry.comm]));
    for (const proc of tree) if (alive.get(proc.pid) === proc.comm) process.kill(proc.pid, "SIGKILL");
    this.child = undefined;
  }

  /** SIGTERM, then SIGKILL if it lingers. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child?.pid) return;
    await killTree(child, child.pid, processTree(child.pid));
    this.child = undefined;
  }

  /** The workerd that runs the Worker and its actors: the one not listening on the public port. */
  runtimePid(): number | undefined {
    const root = this.child?.pid;
    if (root === undefined) return undefined;
    const port = String(this.options.port);
    const workerds = processTree(root).filter((proc) => proc.comm === "workerd");
    const runtime = workerds.find((proc) => !cmdline(proc.pid).some((arg) => arg.endsWith(`=127.0.0.1:${port}`)));
    return runtime?.pid;
  }

  /** Processes seen at the last start, for the report. */
  processes(): readonly ProcEntry[] {
    return this.tree;
  }
}

function cmdline(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
  } catch {
    return [];
  }
}
