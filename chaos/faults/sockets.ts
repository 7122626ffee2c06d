/**
 * Sockets: each user keeps many WebSockets open while turns go in by REST; sockets are dropped —
 * some with a close frame, some by resetting the TCP connection — and reconnect with
 * `hello since` the last seq they showed. Across all its connections, each client must see every
 * message of history exactly once and in order: no gap, no repeat.
 */
import type { ParleyApi } from "../api.js";
import type { ChaosContext, Fault } from "../fault.js";
import { checkUsers, sleep } from "../fault.js";
import type { FaultFigures } from "../figures.js";
import { Tally, figuresOf } from "../figures.js";
import type { SentTurn } from "../invariants.js";
import { sendTurn } from "../outbox.js";
import { Rng } from "../random.js";
import { UserSocket, socketBreaks } from "../user-socket.js";

/** One browser tab: its connections come and go, what it has shown stays. */
interface Client {
  socket: UserSocket;
  /** every seq shown, over every connection */
  shown: number[];
  reconnects: number;
}

export const sockets: Fault = {
  name: "sockets",
  async run(context: ChaosContext): Promise<FaultFigures> {
    const users = context.smoke ? 4 : 12;
    const perUser = context.smoke ? 8 : 16;
    const turns = context.smoke ? 16 : 40;
    const tally = new Tally();
    const started = Date.now();
    const sent = new Map<string, SentTurn[]>();
    const drops = { clean: 0, abrupt: 0 };
    await Promise.all(
      Array.from({ length: users }, async (_, u) => {
        const userId = `${context.runId}-sock-u${u}`;
        const turnsSent = await oneUser(context.api, userId, perUser, turns, new Rng(context.seed + u), tally, drops);
        sent.set(userId, turnsSent);
      }),
    );
    await checkUsers(context.api, sent, tally);
    tally.notes.push(`${drops.clean} clean closes and ${drops.abrupt} TCP resets, each followed by a reconnect with hello since`);
    return figuresOf("sockets dropped and reconnected", `${users} users × ${perUser} sockets, ${turns} REST turns each`, tally, (Date.now() - started) / 1000);
  },
};

async function oneUser(
  api: ParleyApi,
  userId: string,
  perUser: number,
  turns: number,
  rng: Rng,
  tally: Tally,
  drops: { clean: number; abrupt: number },
): Promise<SentTurn[]> {
  const token = await api.tokens.get(userId);
  const clients: Client[] = [];
  for (let i = 0; i < perUser; i++) clients.push({ socket: await UserSocket.open(api.origin, token, 0), shown: [], reconnects: 0 });
  const sent: SentTurn[] = [];
  for (let t = 0; t < turns; t++) {
    sent.push(await sendTurn(api, userId, t % 3 === 0 ? "hello" : "do you have running shoes?", `${userId}-m${t}`, tally, Date.now() + 30_000));
    const client = rng.pick(clients);
    await reconnect(api.origin, token, client, rng.chance(0.5) ? "clean" : "abrupt", drops);
    await sleep(100 + rng.int(200));
  }
  const { messages } = await api.history(userId);
  const historySeqs = messages.map((message) => message.seq);
  const last = historySeqs.at(-1) ?? 0;
  for (const [i, client] of clients.entries()) {
    const caughtUp = client.shown.includes(last) || (await client.socket.waitFor((frame) => frame.seq >= last));
    if (!caughtUp) tally.sample("socket behind", `${userId} socket ${i} never showed seq ${last}`);
    const shown = [...client.shown, ...client.socket.seqs];
    for (const line of socketBreaks(shown, historySeqs, 0)) tally.broke(`${userId}: client ${i} (${client.reconnects} reconnects): ${line}`);
    client.socket.raw.drop();
  }
  return sent;
}

/** Drops the client's connection and opens a new one that says `hello since` the last seq it showed. */
async function reconnect(origin: string, token: string, client: Client, how: "clean" | "abrupt", drops: { clean: number; abrupt: number }): Promise<void> {
  const old = client.socket;
  if (how === "clean") await old.raw.close(1000);
  else old.raw.drop();
  drops[how]++;
  client.shown.push(...old.seqs);
  const since = client.shown.reduce((max, seq) => Math.max(max, seq), 0);
  client.socket = await UserSocket.open(origin, token, since);
  client.reconnects++;
}
