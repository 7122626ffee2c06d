/**
 * The fake payment provider on a local port, for trying cash prizes with `npm run dev` without
 * a real provider:
 *
 *   npm run fake:payments -- --port 8790 --secret dev-payments-secret
 *   curl -X PUT http://127.0.0.1:8790/__fake/faults -d '{"async":true,"duplicateCallbacks":true}'
 *   curl http://127.0.0.1:8790/__fake/ledger
 *
 * Fault modes and routes: src/payments/fake-provider.ts.
 */

import type { IncomingMessage } from "node:http";
import { createServer } from "node:http";
import { parseArgs } from "node:util";
import { createFakePaymentProvider } from "../src/payments/fake-provider.js";

const { values } = parseArgs({
  options: { port: { type: "string", default: "8790" }, secret: { type: "string", default: "dev-payments-secret" } },
});
const port = Number(values.port);
const fake = createFakePaymentProvider({ secret: values.secret });

async function bodyOf(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

createServer(async (incoming, outgoing) => {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) if (typeof value === "string") headers.set(name, value);
  const hasBody = incoming.method !== "GET" && incoming.method !== "HEAD";
  // The caller hanging up aborts the request: a delayed answer nobody waits for frees its timer.
  const hangUp = new AbortController();
  outgoing.on("close", () => hangUp.abort());
  const request = new Request(`http://127.0.0.1:${port}${incoming.url ?? "/"}`, {
    method: incoming.method,
    headers,
    body: hasBody ? await bodyOf(incoming) : null,
    signal: hangUp.signal,
  });
  const response = await fake.handle(request);
  if (outgoing.destroyed) return;
  outgoing.writeHead(response.status, Object.fromEntries(response.headers));
  outgoing.end(Buffer.from(await response.arrayBuffer()));
}).listen(port, "127.0.0.1", () => console.log(`fake payment provider on http://127.0.0.1:${port}`));
