/**
 * A fake's `(Request) => Response` handler on a real loopback port, its answers streamed as they
 * are produced (an SSE fake must not be buffered), for unit tests and `npm run fake:*` scripts.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface LoopbackServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  close(): Promise<void>;
}

/**
 * Serves `handler` on 127.0.0.1 (`port` 0: any free port). Requests reach it rewritten to
 * `origin`, the one origin a fake answers. A client hanging up aborts the request's signal and
 * cancels the answer's body, so a hung or slow stream ends with its reader.
 *
 * @example
 * const server = await serveOnLoopback(createFakeOpenAiChat(), { origin: FAKE_LLM_ORIGIN });
 */
export async function serveOnLoopback(
  handler: (request: Request) => Promise<Response | null>,
  options: { origin: string; port?: number },
): Promise<LoopbackServer> {
  const server = createServer((incoming, outgoing) => {
    answer(handler, options.origin, incoming, outgoing).catch((error: unknown) => {
      if (!outgoing.headersSent) outgoing.writeHead(500, { "content-type": "text/plain" });
      outgoing.end(`fake failed: ${String(error)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function answer(
  handler: (request: Request) => Promise<Response | null>,
  origin: string,
  incoming: IncomingMessage,
  outgoing: ServerResponse,
): Promise<void> {
  const hangUp = new AbortController();
  outgoing.on("close", () => hangUp.abort());
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) if (typeof value === "string") headers.set(name, value);
  const hasBody = incoming.method !== "GET" && incoming.method !== "HEAD";
  const request = new Request(`${origin}${incoming.url ?? "/"}`, {
    method: incoming.method ?? "GET",
    headers,
    body: hasBody ? await bodyOf(incoming) : null,
    signal: hangUp.signal,
  });
  const response = (await handler(request)) ?? new Response("not found", { status: 404 });
  if (outgoing.destroyed) {
    await response.body?.cancel();
    return;
  }
  outgoing.writeHead(response.status, Object.fromEntries(response.headers));
  outgoing.flushHeaders();
  if (!response.body) {
    outgoing.end();
    return;
  }
  const reader = response.body.getReader();
  hangUp.signal.addEventListener("abort", () => void reader.cancel().catch(() => undefined), { once: true });
  while (!outgoing.destroyed) {
    const next = await reader.read();
    if (next.done) break;
    outgoing.write(next.value);
  }
  outgoing.end();
}

async function bodyOf(incoming: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
