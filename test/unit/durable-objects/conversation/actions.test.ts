import { createHmac } from "node:crypto";
import type { IncomingHttpHeaders, Server } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { performAction } from "../../../../durable-objects/conversation/actions.js";

/** A real webhook receiver on loopback: records what arrives, answers per path. */
let server: Server;
let base = "";
const received: { headers: IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      received.push({ headers: request.headers, body });
      if (request.url === "/slow") return void setTimeout(() => response.end("{}"), 2000);
      if (request.url === "/broken") return void response.writeHead(502).end("bad gateway");
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ status: "shipped" }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const webhook = (path: string) => ({
  callId: `c-${path}`,
  name: "order.lookup",
  kind: "webhook" as const,
  url: `${base}${path}`,
  args: { orderId: "AB123456" },
});

describe("performAction", () => {
  it("posts the call to a webhook with an HMAC-SHA256 signature of the body", async () => {
    const outcome = await performAction(webhook("/ok"), { WEBHOOK_SECRET: "hook-secret" });
    expect(outcome).toEqual({ ok: true, result: { status: "shipped" } });
    const last = received.at(-1)!;
    expect(JSON.parse(last.body)).toEqual({ action: "order.lookup", callId: "c-/ok", args: { orderId: "AB123456" } });
    const expected = createHmac("sha256", "hook-secret").update(last.body).digest("hex");
    expect(last.headers["x-parley-signature"]).toBe(`sha256=${expected}`);
    expect(last.headers["idempotency-key"]).toBe("c-/ok");
  });

  it("reports a webhook that times out as a failure, without throwing", async () => {
    const outcome = await performAction(webhook("/slow"), {}, 200);
    expect(outcome.ok).toBe(false);
  });

  it("reports a webhook error status as a failure", async () => {
    expect(await performAction(webhook("/broken"), {})).toEqual({ ok: false, error: "webhook answered 502" });
  });

  it("runs built-in actions and refuses unknown ones", async () => {
    expect((await performAction({ callId: "b", name: "inventory.check", kind: "builtin", args: { product: "running", size: 39 } }, {})).ok).toBe(true);
    expect(await performAction({ callId: "u", name: "no.such", kind: "builtin", args: {} }, {})).toEqual({ ok: false, error: 'unknown action "no.such"' });
  });
});
