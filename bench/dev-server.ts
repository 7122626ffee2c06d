/**
 * `wrangler dev` for the benchmark: the same dev server (wrangler's `startWorker`: its bundler,
 * its dev proxy, Miniflare, workerd) without the DevTools session the CLI always attaches.
 *
 *   tsx bench/dev-server.ts --config <wrangler.toml> --port <port> --persist-to <dir> [--registry <dir>] [--var NAME:VALUE]…
 *
 * Why: the CLI connects a debugger to every Worker to print its console, so each console call
 * is serialized into a DevTools event and relayed by the dev proxy to wrangler — more CPU than
 * the baseline's whole turn (bench/README.md). Production has no debugger, and without one
 * workerd hands its console to wrangler as plain lines on stdout.
 */
import { createRequire } from "node:module";
import { unstable_startWorker } from "wrangler";

// wrangler carries its own miniflare: ask that one how to treat `nodejs_compat`, as the CLI does.
const fromWrangler = createRequire(createRequire(import.meta.url).resolve("wrangler/package.json"));
const { getNodeCompat } = fromWrangler("miniflare") as typeof import("miniflare");

function flag(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? undefined : process.argv[at + 1];
}

function required(name: string): string {
  const value = flag(name);
  if (value === undefined) throw new Error(`--${name} is required`);
  return value;
}

/** Every `--var NAME:VALUE`, as wrangler's CLI takes them. */
function vars(): Record<string, { type: "plain_text"; value: string }> {
  const out: Record<string, { type: "plain_text"; value: string }> = {};
  process.argv.forEach((arg, index) => {
    const value = arg === "--var" ? process.argv[index + 1] : undefined;
    const colon = value?.indexOf(":") ?? -1;
    if (value !== undefined && colon > 0) out[value.slice(0, colon)] = { type: "plain_text", value: value.slice(colon + 1) };
  });
  return out;
}

const LOG_LEVELS = ["none", "error", "warn", "info", "log", "debug"] as const;
// wrangler's own output: quiet by default; BENCH_LOG_LEVEL=debug (with WRANGLER_LOG=debug) to see what the runtime says
const logLevel = LOG_LEVELS.find((level) => level === process.env["BENCH_LOG_LEVEL"]) ?? "error";
const worker = await unstable_startWorker({
  config: required("config"),
  bindings: {
    // `--var ENVIRONMENT:development`: the systems answer only in development (development keys).
    ENVIRONMENT: { type: "plain_text", value: "development" },
    // The Worker's own log level as production runs it (Parley's default), whatever a
    // development default may be: the request log line is part of a production turn's cost.
    LOG_LEVEL: { type: "plain_text", value: "info" },
    ...vars(),
  },
  // What the CLI derives from the config's compatibility settings (`nodejs_compat` for the peer).
  build: { nodejsCompatMode: (config) => getNodeCompat(config.compatibility_date, config.compatibility_flags).mode },
  dev: {
    server: { hostname: "127.0.0.1", port: Number(required("port")) },
    inspector: false,
    persist: required("persist-to"),
    registry: flag("registry"),
    logLevel,
    watch: false,
    liveReload: false,
  },
});
await worker.ready;
console.log(`[dev-server] ready at ${(await worker.url).origin}`);

const stop = () => {
  void worker.dispose().finally(() => process.exit(0));
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
