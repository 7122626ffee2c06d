/**
 * What Parley's gateway costs per request, without the runtime: `POST /v1/messages` through the
 * real Hono app (workers/gateway/app.ts) with the actor stubbed out, against the baseline's bare
 * handler doing the same JWT check and body parse. Runs in Node (V8, but undici's Request and
 * Headers rather than workerd's native ones, so absolute figures differ from workerd's).
 *   npx tsx bench/gateway.ts [--requests 5000]
 */
import { DEV_JWT_SECRET } from "../src/security/dev-secrets.js";
import { secretBytes, verifyToken } from "../src/security/jwt.js";
import { gateway } from "../workers/gateway/app.js";
import { mintToken } from "./tokens.js";
import { summarize } from "./stats.js";

const RESULT = { seq: 2, reply: { text: "Good news: running shoes in size 39 are in stock." }, duplicate: false, botVersion: "1" };
const SECRET = secretBytes(DEV_JWT_SECRET);

/** A Durable Object stub whose every method answers at once (registry, metrics shards). */
function anyStub(): unknown {
  return new Proxy({}, { get: () => async () => undefined });
}

/** Just enough of the Worker's Env for the messages route; the actor answers at once. */
function stubEnv(): unknown {
  const actor = { turn: async () => RESULT };
  return {
    ENVIRONMENT: "development",
    CONVERSATION: { getByName: () => actor },
    REGISTRY: { getByName: anyStub },
    METRICS: { getByName: anyStub, idFromName: () => ({}), get: anyStub },
    GUEST_LIMITER: { limit: async () => ({ success: true }) },
  };
}

const context = { waitUntil: () => undefined, passThroughOnException: () => undefined, props: {} };

function request(token: string, n: number): Request {
  return new Request("http://127.0.0.1:8787/v1/messages", {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ text: n % 2 ? "hello" : "do you have running shoes in size 39?", clientMessageId: `m${n}` }),
  });
}

/** The baseline's handler: same token check, same body parse, the same answer. */
async function bare(incoming: Request): Promise<Response> {
  const header = incoming.headers.get("authorization") ?? "";
  const principal = await verifyToken(header.slice("Bearer ".length), { key: { kind: "secret", secret: SECRET } });
  if (!principal.scopes.has("chat")) return new Response(null, { status: 403 });
  const body = (await incoming.json()) as { text?: unknown };
  if (typeof body.text !== "string") return new Response(null, { status: 400 });
  return Response.json(RESULT);
}

const print = console.log;

async function time(label: string, requests: number, handle: (incoming: Request) => Promise<Response>, token: string): Promise<number> {
  const samples: number[] = [];
  for (let n = 0; n < requests + 500; n++) {
    const incoming = request(token, n);
    const started = performance.now();
    const response = await handle(incoming);
    await response.text();
    if (n >= 500) samples.push((performance.now() - started) * 1000);
    if (response.status !== 200) throw new Error(`${label}: HTTP ${response.status} ${await response.clone().text()}`);
  }
  const summary = summarize(samples);
  print(`${label.padEnd(34)} median ${summary.p50.toFixed(0).padStart(5)} µs   p99 ${summary.p99.toFixed(0).padStart(5)} µs`);
  return summary.p50;
}

async function main(argv: readonly string[]): Promise<void> {
  const flag = argv.indexOf("--requests");
  const requests = flag >= 0 ? Number(argv[flag + 1]) : 5000;
  const token = await mintToken("bench-gateway-user");
  const env = stubEnv();
  const verify = async (incoming: Request) => {
    await verifyToken((incoming.headers.get("authorization") ?? "").slice(7), { key: { kind: "secret", secret: SECRET } });
    return new Response("{}");
  };
  console.log(`POST /v1/messages, ${requests} requests one at a time, actor stubbed:`);
  const jwt = await time("verifyToken alone", requests, verify, token);
  const baseline = await time("bare handler (the baseline's)", requests, bare, token);
  // The gateway logs (each line through the console method of its level); here the lines are
  // counted, not written, so only the gateway is timed.
  let lines = 0;
  let bytes = 0;
  const methods = ["debug", "info", "log", "warn", "error"] as const;
  const originals = methods.map((method) => console[method]);
  for (const method of methods) {
    console[method] = (...args: unknown[]) => {
      lines++;
      bytes += args.map(String).join(" ").length;
    };
  }
  const handle = async (incoming: Request) => gateway.fetch(incoming, env as never, context as never);
  let parley: number;
  try {
    parley = await time("Parley gateway (Hono app)", requests, handle, token);
  } finally {
    methods.forEach((method, i) => {
      console[method] = originals[i] ?? print;
    });
  }
  const per = requests + 500;
  console.log(`gateway overhead over the bare handler: ${(parley - baseline).toFixed(0)} µs per request (JWT verify: ${jwt.toFixed(0)} µs of each)`);
  console.log(`the gateway logged ${(lines / per).toFixed(2)} lines, ${(bytes / per).toFixed(0)} bytes per request (under wrangler dev, wrangler reads each line and appends it to its log file)`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main(process.argv.slice(2));
