import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "../../..");
const WRANGLER = join(ROOT, "node_modules/.bin/wrangler");
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

let widgetBuilt = false;

/** `wrangler dev` serves public/, so the widget must be built first (once per test process). */
export function buildWidget(): void {
  if (widgetBuilt) return;
  execFileSync(process.execPath, [join(ROOT, "widget/build.mjs")], { cwd: ROOT, stdio: "pipe" });
  widgetBuilt = true;
}

/**
 * `wrangler dev` on a free port of 127.0.0.1 with its own state directory: the whole system
 * as `npm run dev` serves it. `stop()` and `start()` again keep the port and the state, so a
 * test can take the server away mid-conversation and bring it back.
 */
export class DevServer {
  readonly url: string;
  private child: ChildProcess | null = null;
  private output = "";

  private constructor(
    readonly port: number,
    private readonly inspectorPort: number,
    readonly stateDir: string,
    private readonly vars: Record<string, string>,
  ) {
    this.url = `http://127.0.0.1:${port}`;
  }

  /** `vars` are passed as `--var NAME:value`, e.g. `{ ALLOWED_ORIGINS: "http://127.0.0.1:4000" }`. */
  static async launch(vars: Record<string, string> = {}): Promise<DevServer> {
    buildWidget();
    const server = new DevServer(await freePort(), await freePort(), mkdtempSync(join(tmpdir(), "parley-e2e-")), vars);
    await server.start();
    return server;
  }

  async start(): Promise<void> {
    if (this.child) return;
    this.output = "";
    const child = spawn(
      WRANGLER,
      [
        "dev",
        "--ip", "127.0.0.1",
        "--port", String(this.port),
        "--inspector-port", String(this.inspectorPort),
        "--persist-to", this.stateDir,
        "--var", "ENVIRONMENT:development",
        ...Object.entries(this.vars).flatMap(([name, value]) => ["--var", `${name}:${value}`]),
        "--show-interactive-dev-session=false",
        "--log-level", "warn",
      ],
      {
        cwd: ROOT,
        // Its own process group: stop() ends wrangler and the workerd it started, nothing else.
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1", NO_COLOR: "1" },
      },
    );
    child.stdout?.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
    this.child = child;
    await this.waitUntilHealthy(child);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child?.pid) return;
    this.child = null;
    const exited = new Promise<void>((done) => child.once("exit", () => done()));
    signalGroup(child.pid, "SIGTERM");
    const timeout = new Promise<"timeout">((done) => setTimeout(() => done("timeout"), 10_000));
    if ((await Promise.race([exited, timeout])) === "timeout") {
      signalGroup(child.pid, "SIGKILL");
      await exited;
    }
    await this.waitUntilPortFree();
  }

  /** Stops the server and removes its state. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.stateDir, { recursive: true, force: true });
  }

  /** What wrangler printed: attached to a failure, it usually says why. */
  get log(): string {
    return this.output;
  }

  private async waitUntilHealthy(child: ChildProcess): Promise<void> {
    const deadline = Date.now() + STARTUP_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`wrangler dev exited (${child.exitCode}):\n${this.output}`);
      try {
        const response = await fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(2_000) });
        if (response.ok) return;
      } catch {
        // Not listening yet.
      }
      await new Promise((done) => setTimeout(done, 250));
    }
    throw new Error(`wrangler dev did not answer /healthz within ${STARTUP_TIMEOUT_MS} ms:\n${this.output}`);
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
