/**
 * Bad input: thousands of generated hostile requests across every route, malformed requests on
 * bare TCP, and hostile WebSocket frames. No 5xx from Parley's code, no hang, and a reference
 * user's history and export byte-identical before and after. What the runtime itself answers
 * (wrangler's dev proxy, workerd's HTTP parser) is reported apart, as the runtime's.
 */

import { adminToken } from "../../bench/flash-setup.js";
import type { HttpAnswer } from "../../bench/load.js";
import { runAll } from "../../bench/load.js";
import { DEV_JWT_SECRET } from "../../src/security/dev-secrets.js";
import { secretBytes, signToken } from "../../src/security/jwt.js";
import { fiveXxSource } from "../api.js";
import type { ChaosContext, Fault } from "../fault.js";
import { sleep } from "../fault.js";
import type { FaultFigures } from "../figures.js";
import { Tally, figuresOf } from "../figures.js";
import type { HostileTokens } from "../hostile-gen.js";
import { hostileRequest } from "../hostile-gen.js";
import { hostileFrames, protocolBreakingFrames, sendOnce, sendWire, wireCases } from "../hostile-wire.js";
import { Rng } from "../random.js";
import { UserSocket } from "../user-socket.js";

const HANG_MS = 10_000;

export const hostile: Fault = {
  name: "hostile",
  async run(context: ChaosContext): Promise<FaultFigures> {
    const { api } = context;
    const count = context.smoke ? 1_500 : 6_000;
    const tally = new Tally();
    const started = Date.now();
    const reference = `${context.runId}-reference`;
    for (const [i, text] of ["hello", "do you have running shoes?", "size 39", "my phone is 13800138000", "thanks"].entries()) {
      await api.turn(reference, text, `${reference}-m${i}`);
    }
    const before = await snapshot(context, reference);
    const socket = await UserSocket.open(api.origin, await api.tokens.get(reference), 0);
    const tokens = await hostileTokens(context, reference);
    const rng = new Rng(context.seed);
    const shapes = { documented503: 0, badShape: 0 };
    const hangs: string[] = [];
    await runAll(count, 16, async () => {
      const request = hostileRequest(rng, tokens);
      const what = `${request.method} ${request.path.slice(0, 80)} ${JSON.stringify(request.headers).slice(0, 160)}`;
      try {
        const answer = await sendOnce(api.origin, request, HANG_MS);
        if ("hang" in answer) {
          tally.unanswered++;
          hangs.push(what);
        } else judge(request.path, answer, tally, shapes);
      } catch (error) {
        // node:http refused to build it (e.g. a header value it will not send), or the connection broke
        tally.sample(`client error ${error instanceof Error ? ((error as NodeJS.ErrnoException).code ?? error.name) : "?"}`, `${what}: ${String(error)}`);
      }
      return { ok: true };
    });
    await wireAndFrames(context, socket, tokens.others[0] ?? "", tally);
    const after = await snapshot(context, reference);
    if (after.history !== before.history) tally.broke(`${reference}: history changed under hostile input`);
    if (after.exported !== before.exported) tally.broke(`${reference}: export changed under hostile input`);
    const extra = socket.seqs.filter((seq) => seq > before.lastSeq);
    if (extra.length > 0) tally.broke(`${reference}: the socket was sent ${extra.length} new messages`);
    socket.raw.drop();
    tally.notes.push(`${count} generated requests (seed ${context.seed}); ${shapes.documented503} answered the documented 503 unavailable`);
    if (hangs.length > 0) tally.notes.push(`${hangs.length} requests held past ${HANG_MS / 1000} s, e.g. ${hangs.slice(0, 3).join(" | ")}`);
    if (shapes.badShape > 0) tally.notes.push(`${shapes.badShape} error answers on /v1/* without the documented { error: { code, message, requestId } } shape`);
    return figuresOf(
      "bad input (generated requests, raw HTTP, WebSocket frames)",
      `${count} requests, ${wireCases("", "").length} raw, ${hostileFrames().length + protocolBreakingFrames().length} frames`,
      tally,
      (Date.now() - started) / 1000,
    );
  },
};

/** Counts one answer: non-5xx is a refusal or an answer (acknowledged); 5xx by whose it is. */
function judge(path: string, answer: HttpAnswer, tally: Tally, shapes: { documented503: number; badShape: number }): void {
  if (answer.status < 500) {
    tally.acknowledged++;
    if (answer.status >= 400 && path.startsWith("/v1/") && answer.text !== "" && !/^\{"error":\{"code":"[a-z_]+","message":/.test(answer.text)) {
      shapes.badShape++;
      tally.sample(`shape ${answer.status}`, `${path.slice(0, 60)}: ${answer.text.slice(0, 120)}`);
    }
    return;
  }
  const source = fiveXxSource(answer);
  if (source !== "runtime" && answer.status === 503 && answer.text.includes('"code":"unavailable"')) {
    shapes.documented503++;
    tally.acknowledged++;
    return;
  }
  tally.attempt({ kind: "unanswered", status: answer.status, source, reason: `${path.slice(0, 80)} → ${answer.text.slice(0, 120)}` });
}

async function snapshot(context: ChaosContext, userId: string): Promise<{ history: string; exported: string; lastSeq: number }> {
  const { messages, raw } = await context.api.history(userId);
  return { history: raw, exported: await context.api.exportText(userId), lastSeq: messages.at(-1)?.seq ?? 0 };
}

async function hostileTokens(context: ChaosContext, reference: string): Promise<HostileTokens> {
  const others = await Promise.all(Array.from({ length: 4 }, (_, i) => context.api.tokens.get(`${context.runId}-victim${i}`)));
  const secret = secretBytes(DEV_JWT_SECRET);
  const expired = (await signToken({ userId: "victim-expired", scopes: ["chat"], ttlSeconds: -3600, secret })).token;
  const wrongSecret = (await signToken({ userId: reference, scopes: ["chat", "admin"], ttlSeconds: 600, secret: secretBytes("not-the-secret") })).token;
  const noScope = (await signToken({ userId: "victim-noscope", scopes: [], ttlSeconds: 600, secret })).token;
  const agent = (await signToken({ userId: "chaos-agent", scopes: ["agent"], ttlSeconds: 3600, secret })).token;
  const header = (alg: string) => Buffer.from(JSON.stringify({ alg, typ: "JWT" })).toString("base64url");
  const claims = Buffer.from(JSON.stringify({ sub: reference, scope: "chat admin", exp: 4_000_000_000 })).toString("base64url");
  const forged = [expired, wrongSecret, noScope, `${header("none")}.${claims}.`, `${header("HS512")}.${claims}.AAAA`, `${header("RS256")}.${claims}.AAAA`];
  return { reference: await context.api.tokens.get(reference), others, admin: await adminToken(), agent, forged };
}

/** Malformed requests on bare TCP (the runtime's answers, reported apart) and hostile WebSocket frames. */
async function wireAndFrames(context: ChaosContext, socket: UserSocket, otherToken: string, tally: Tally): Promise<void> {
  const { origin } = context.api;
  const host = new URL(origin).host;
  const wire: string[] = [];
  for (const { name, bytes } of wireCases(host, otherToken)) {
    const outcome = await sendWire(origin, name, bytes);
    wire.push(`${outcome.name} → ${outcome.answer}`);
    if (/^HTTP\/1\.[01] 5/.test(outcome.answer)) tally.runtime5xx++;
  }
  tally.notes.push(`runtime (raw HTTP, before Parley's code): ${wire.join("; ")}`);
  const errorsBefore = socket.errors.length;
  for (const { frame } of hostileFrames()) socket.raw.sendRaw(frame);
  await sleep(1_000);
  const refused = socket.errors.length - errorsBefore;
  tally.acknowledged += refused;
  if (refused < hostileFrames().length - 1) tally.sample("frames", `${hostileFrames().length} hostile frames, ${refused} error frames back`);
  const token = await context.api.tokens.get(`${context.runId}-reference`);
  const breaking: string[] = [];
  for (const { name, frame } of protocolBreakingFrames()) {
    const victim = await UserSocket.open(origin, token, Number.MAX_SAFE_INTEGER);
    victim.raw.sendRaw(frame);
    const closed = await Promise.race([victim.raw.closed, sleep(2_000).then(() => undefined)]);
    breaking.push(`${name} → ${closed === undefined ? "still open" : `closed ${closed.code}`}`);
    victim.raw.drop();
  }
  tally.notes.push(`runtime (WebSocket protocol breaks): ${breaking.join("; ")}`);
}
