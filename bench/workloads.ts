/**
 * The three workloads. Each mints its users' tokens before the system starts (`prepare`), then
 * drives the running system (`run`) — warm-up first, then the measured window.
 *
 * - steady: a fixed set of users whose actors are warm, each sending turn after turn;
 * - cold: new users keep arriving, each sending one or two turns: actor creation dominates;
 * - socket: open WebSockets doing say/reply round trips.
 */
import type { BenchOptions, WorkloadName } from "./args.js";
import type { LoadStats, Outcome } from "./load.js";
import { ChatSocket, HttpClient, closedLoop, runAll } from "./load.js";
import type { Target } from "./runtime.js";
import type { SystemSpec } from "./systems.js";
import { TokenBook } from "./tokens.js";

const TEXTS = ["hello", "do you have running shoes in size 39?"] as const;

export interface WorkloadRun {
  stats: LoadStats;
  /** distinct users (or sockets) that took part in the measured window */
  users: number;
}

export class NotAvailable extends Error {
  override readonly name = "NotAvailable";
}

export interface Workload {
  name: WorkloadName;
  prepare(): Promise<void>;
  run(target: Target): Promise<WorkloadRun>;
}

/** Unique per request: the dedupe key must never hit, or we would measure the shortcut. */
class Messages {
  private count = 0;
  constructor(private readonly runId: string) {}

  next(): { text: string; clientMessageId: string } {
    const n = this.count++;
    return { text: TEXTS[n % TEXTS.length] ?? "hello", clientMessageId: `${this.runId}-${n.toString(36)}` };
  }
}

function postTurn(client: HttpClient, token: string, messages: Messages): Promise<Outcome> {
  return client.post({
    path: "/v1/messages",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(messages.next()),
  });
}

function loopTiming(options: BenchOptions, target: Target) {
  return {
    concurrency: options.connections,
    warmupMs: options.warmupS * 1000,
    durationMs: options.durationS * 1000,
    cpuMeter: () => target.cpuMs(),
  };
}

export function steadyWorkload(options: BenchOptions, runId: string): Workload {
  const users = Array.from({ length: options.steadyUsers }, (_, i) => `${runId}-steady-${i}`);
  const tokens = new TokenBook();
  const tokenList: string[] = [];
  return {
    name: "steady",
    async prepare() {
      await tokens.mint(users);
      for (const user of users) tokenList.push(await tokens.get(user));
    },
    async run(target) {
      const { origin } = target;
      const client = new HttpClient(origin, options.connections);
      const messages = new Messages(runId);
      try {
        // Every actor exists and is loaded before the clock starts.
        const warm = await runAll(tokenList.length, options.connections, (i) => postTurn(client, tokenList[i] ?? "", messages));
        if (warm.errors === tokenList.length) throw new Error(`every warm-up turn failed: ${JSON.stringify(warm.errorKinds)}`);
        let cursor = 0;
        const stats = await closedLoop({
          ...loopTiming(options, target),
          turn: () => postTurn(client, tokenList[cursor++ % tokenList.length] ?? "", messages),
        });
        return { stats, users: tokenList.length };
      } finally {
        await client.close();
      }
    },
  };
}

export function coldWorkload(options: BenchOptions, runId: string): Workload {
  const tokens = new TokenBook();
  const userId = (n: number) => `${runId}-cold-${n}`;
  return {
    name: "cold",
    async prepare() {
      // Enough for the warm-up and the measured users; more are minted on demand.
      const ahead = Math.ceil(options.coldUsers * 1.2) + options.connections * 20;
      await tokens.mint(Array.from({ length: ahead }, (_, n) => userId(n)));
    },
    async run(target) {
      const { origin } = target;
      const client = new HttpClient(origin, options.connections);
      const messages = new Messages(runId);
      const timing = loopTiming(options, target);
      const measureStart = performance.now() + timing.warmupMs;
      let created = 0;
      let measuredUsers = 0;
      let issued = 0;
      // Every other user comes back for a second turn a little later.
      const returning: { user: string; due: number }[] = [];
      const nextUser = (): string => {
        const head = returning[0];
        issued++;
        if (head !== undefined && head.due <= issued) {
          returning.shift();
          return head.user;
        }
        const n = created++;
        if (performance.now() >= measureStart) measuredUsers++;
        if (n % 2 === 0) returning.push({ user: userId(n), due: issued + options.connections * 2 });
        return userId(n);
      };
      try {
        const stats = await closedLoop({
          ...timing,
          enough: () => measuredUsers >= options.coldUsers,
          maxDurationMs: timing.durationMs * 3,
          turn: async () => postTurn(client, await tokens.get(nextUser()), messages),
        });
        return { stats, users: measuredUsers };
      } finally {
        await client.close();
      }
    },
  };
}

export function socketWorkload(options: BenchOptions, runId: string, spec: SystemSpec): Workload {
  const users = Array.from({ length: options.sockets }, (_, i) => `${runId}-ws-${i}`);
  const tokens = new TokenBook();
  return {
    name: "socket",
    async prepare() {
      await tokens.mint(users);
    },
    async run(target) {
      const { origin } = target;
      const protocolFor = spec.socket;
      if (!protocolFor) throw new NotAvailable("no WebSocket route");
      const open = async (i: number) => {
        const user = users[i] ?? "";
        return ChatSocket.open(protocolFor(origin, user, await tokens.get(user)));
      };
      const sockets: ChatSocket[] = [];
      try {
        try {
          sockets.push(await open(0));
        } catch (error) {
          throw new NotAvailable(error instanceof Error ? error.message : String(error));
        }
        const opened = await runAll(users.length - 1, 32, async (i) => {
          sockets.push(await open(i + 1));
          return { ok: true };
        });
        if (opened.errors > 0) throw new Error(`${opened.errors} sockets failed to open: ${JSON.stringify(opened.errorKinds)}`);
        const messages = new Messages(runId);
        let cursor = 0;
        const stats = await closedLoop({
          ...loopTiming(options, target),
          concurrency: Math.min(options.connections, sockets.length),
          turn: async () => {
            // Next idle socket: one turn in flight per socket, `connections` in flight in all.
            let socket = sockets[cursor++ % sockets.length];
            while (socket === undefined || socket.busy) socket = sockets[cursor++ % sockets.length];
            socket.busy = true;
            try {
              const { text, clientMessageId } = messages.next();
              return await socket.say(text, clientMessageId);
            } finally {
              socket.busy = false;
            }
          },
        });
        return { stats, users: sockets.length };
      } finally {
        for (const socket of sockets) socket.close();
      }
    },
  };
}

export function workloadFor(name: WorkloadName, options: BenchOptions, runId: string, spec: SystemSpec): Workload {
  if (name === "steady") return steadyWorkload(options, runId);
  if (name === "cold") return coldWorkload(options, runId);
  return socketWorkload(options, runId, spec);
}
