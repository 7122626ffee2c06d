/**
 * The Worker isolate's JavaScript heap, asked of the runtime through wrangler's inspector
 * (`--inspector-port`, DevTools protocol at `/ws`) with `Runtime.getHeapUsage`. workerd's
 * inspector does not answer `HeapProfiler.collectGarbage`, so the figure holds garbage not yet
 * collected: the soak keeps the lowest of several samples a minute, the nearest to what is live.
 * Locally the gateway and every actor share that one isolate, so it holds the resident actors'
 * in-memory state and Parley's per-isolate caches; the rest of the runtime's memory is native
 * (SQLite, the runtime itself, the allocator's free pages).
 */
import { RawSocket } from "./raw-socket.js";

export interface HeapUsage {
  usedMiB: number;
  totalMiB: number;
}

const ANSWER_TIMEOUT_MS = 15_000;

/** The heap in use, or null when the inspector did not answer (a busy runtime). */
export async function isolateHeap(inspectorPort: number): Promise<HeapUsage | null> {
  // wrangler's inspector takes one DevTools client at a time: a try right after the last one may be refused.
  for (let attempt = 1; attempt <= 3; attempt++) {
    const usage = await askOnce(inspectorPort);
    if (usage) return usage;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  return null;
}

async function askOnce(inspectorPort: number): Promise<HeapUsage | null> {
  let socket: RawSocket;
  try {
    socket = await RawSocket.open(`http://127.0.0.1:${inspectorPort}`, "/ws", []);
  } catch {
    return null;
  }
  try {
    const refused = socket.closed.then(() => {
      throw new Error("the inspector closed the connection");
    });
    refused.catch(() => undefined); // it rejects at the close in `finally` too, once nobody waits for it
    const usage = (await Promise.race([call(socket, 1, "Runtime.getHeapUsage"), refused])) as { usedSize?: number; totalSize?: number } | null;
    if (typeof usage?.usedSize !== "number" || typeof usage.totalSize !== "number") return null;
    return { usedMiB: usage.usedSize / 2 ** 20, totalMiB: usage.totalSize / 2 ** 20 };
  } catch {
    return null;
  } finally {
    // A clean close, so that the inspector lets the next client in.
    await socket.close(1000, 2_000);
  }
}

/** Sends one DevTools command and waits for the answer with its id (events and older answers pass by). */
function call(socket: RawSocket, id: number, method: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${method}: no answer in ${ANSWER_TIMEOUT_MS} ms`)), ANSWER_TIMEOUT_MS);
    socket.onText((text) => {
      // Everything the runtime reports passes by here (request bodies too): only our answer counts.
      if (!text.startsWith(`{"id":${id},`)) return;
      let answer: { id?: number; result?: unknown; error?: { message?: string } };
      try {
        answer = JSON.parse(text) as typeof answer;
      } catch {
        return;
      }
      if (answer.id !== id) return;
      clearTimeout(timer);
      if (answer.error) reject(new Error(`${method}: ${answer.error.message ?? "refused"}`));
      else resolve(answer.result ?? null);
    });
    socket.send(JSON.stringify({ id, method }));
  });
}
