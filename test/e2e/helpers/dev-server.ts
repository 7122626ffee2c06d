import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "../../..");
const STARTUP_TIMEOUT_MS = 90_000;

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolvePort(address.port) : reject(new Error("no port"))));
    });
  });
}

/** Where and how `npm run dev` runs: `args` go after `--`, to `wrangler dev`. */
interface DevCommand {
  cwd: string;
  args: string[];
  /** removed by dispose(): the state directory the server was given, if any */
  stateDir: string | null;
}

/**
 * `npm run dev -- --port N …`, the command README gives, on 127.0.0.1 (wrangler.toml [dev]).
 * `launch()` adds a state directory of its own and `--var`s, so tests never share state with
 * each other or with a developer's `.wrangler/state`; `readme()` runs the command exactly as
 * README writes it. `stop()` and `start()` again keep the port and the state, so a test can
 * take the server away mid-conversation and bring it back.
 */
export class DevServer {
  readonly url: string;
  private child: ChildProcess | null = null;
  private output = "";

  private constructor(
    readonly port: number,
    private readonly command: DevCommand,
  ) {
    this.url = `http://127.0.0.1:${port}`;
  }

  /** `vars` are passed as `--var NAME:value`, e.g. `{ ALLOWED_ORIGINS: "http://127.0.0.1:4000" }`. */
  static async launch(vars: Record<string, string> = {}): Promise<DevServer> {
    const [port, inspectorPort] = [await freePort(), await freePort()];
    const stateDir = mkdtempSync(join(tmpdir(), "parley-e2e-"));
    const args = [
      `--port=${port}`,
      // Chosen here, not probed from 9229 up by each server: parallel starts would race for it.
      `--inspector-port=${inspectorPort}`,
      `--persist-to=${stateDir}`,
      ...Object.entries(vars).map(([name, value]) => `--var=${name}:${value}`),
      "--show-interactive-dev-session=false",
      "--log-level=warn",
    ];
    const server = new DevServer(port, { cwd: ROOT, args, stateDir });
    await server.start();
    return server;
  }

  /** Exactly `npm run dev -- --port <port>` in `cwd` (a checkout of the repository). */
  static async readme(cwd: string): Promise<DevServer> {
    const port = await freePort();
    const server = new DevServer(port, { cwd, args: ["--port", String(port)], stateDir: null });
    await server.start();
    return server;
  }

  async start(): Promise<void> {
    if (this.child) return;
    this.output = "";
    const child = spawn("npm", ["run", "dev", "--", ...this.command.args], {
      cwd: this.command.cwd,
      // Its own process group: stop() ends npm, wrangler and the workerd it started, nothing else.
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1", NO_COLOR: "1" },
    });
    child.stdout?.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
    this.child = child;
    try {
      await this.waitUntilHealthy(child);
    } catch (error) {
      await this.stop(); // a server that never came up leaves no processes behind
      throw error;
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child?.pid) return;
    this.child = null;
    const exited = new Promise<void>((done) => (child.exitCode !== null || child.signalCode !== null ? done() : child.once("exit", () => done())));
    signalGroup(child.pid, "SIGTERM");
    const timeout = new Promise<"timeout">((done) => setTimeout(() => done("timeout"), 10_000));
    if ((await Promise.race([exited, timeout])) === "timeout") {
      signalGroup(child.pid, "SIGKILL");
      await exited;
    }
    await this.waitUntilPortFree();
  }

  /** Stops the server and removes the state directory it was given. */
  async dispose(): Promise<void> {
    await this.stop();
    if (this.command.stateDir) rmSync(this.command.stateDir, { recursive: true, force: true });
  }

  /** What npm and wrangler printed: attached to a failure, it usually says why. */
  get log(): string {
    return this.output;
  }

  private async waitUntilHealthy(child: ChildProcess): Promise<void> {
    const deadline = Date.now() + STARTUP_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`npm run dev exited (${child.exitCode}):\n${this.output}`);
      try {
        const response = await fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(2_000) });
        if (response.ok) return;
      } catch {
        // Not listening yet.
      }
      await new Promise((done) => setTimeout(done, 250));
    }
    throw new Error(`npm run dev did not answer /healthz within ${STARTUP_TIMEOUT_MS} ms:\n${this.output}`);
  }

  private async waitUntilPortFree(): Promise<void> {
    for (let i = 0; i < 40; i++) {
      try {
        await fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(500) });
      } catch {
        return;
      }
      await new Promise((done) => setTimeout(done, 250));
    }
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}
