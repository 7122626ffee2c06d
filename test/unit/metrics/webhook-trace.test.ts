import type { IncomingHttpHeaders, Server } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WEBHOOK_TIMEOUT_MS, performAction } from "../../../durable-objects/conversation/actions.js";
import { parseTraceparent, traceFor } from "../../../src/metrics/trace.js";
import { importHmacKey } from "../../../src/security/mac.js";
import { pseudonymOf } from "../../../src/security/pseudonym.js";

/** A webhook receiver on loopback that records the headers it gets. */
let server: Server;
let base = "";
const received: IncomingHttpHeaders[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    received.push(request.headers);
    request.resume();
    request.on("end", () => response.writeHead(200, { "content-type": "application/json" }).end("{}"));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const webhook = () => ({ callId: "c-1", name: "order.lookup", kind: "webhook" as const, url: `${base}/hook`, args: {} });

describe("webhook calls and the trace", () => {
  it("continue the turn's trace: same trace id, a span of the actor's, the user's pseudonym in baggage", async () => {
    const pseudonym = await pseudonymOf(await importHmacKey("a deployment's key"), "alice");
    const trace = traceFor("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", pseudonym);
    expect((await performAction(webhook(), {}, WEBHOOK_TIMEOUT_MS, trace)).ok).toBe(true);
    const headers = received.at(-1) ?? {};
    const sent = parseTraceparent(String(headers["traceparent"]));
    expect(sent?.traceId).toBe("4bf92f3577b34da6a3ce929d0e0e4736");
    expect(sent?.spanId).not.toBe("00f067aa0ba902b7");
    expect(headers["baggage"]).toBe(`parley.user=${pseudonym}`);
    expect(JSON.stringify(headers)).not.toContain("alice");
  });

  it("start a trace when the turn brought none", async () => {
    await performAction(webhook(), {});
    expect(parseTraceparent(String(received.at(-1)?.["traceparent"]))).not.toBeNull();
    expect(received.at(-1)?.["baggage"]).toBeUndefined();
  });
});
