/**
 * A minimal Chrome DevTools Protocol client for wrangler's inspector (the Worker's isolate):
 * the profiler (`profile.ts`) and the timeline's forced garbage collection (`timeline.ts`).
 */
import { WebSocket } from "undici";

/** Requests by id over the inspector WebSocket; events are ignored. */
export class Inspector {
  private nextId = 1;
  private readonly waiting = new Map<number, (result: unknown) => void>();

  private constructor(private readonly socket: WebSocket) {
    socket.addEventListener("message", (event) => {
      if (typeof event.data !== "string") return;
      const message = JSON.parse(event.data) as { id?: number; result?: unknown; error?: unknown };
      if (message.id === undefined) return;
      this.waiting.get(message.id)?.(message.error ? { error: message.error } : message.result);
      this.waiting.delete(message.id);
    });
  }

  static connect(url: string): Promise<Inspector> {
    return new Promise((resolve, reject) => {
      // wrangler's inspector proxy admits DevTools-like clients only: an Origin on localhost.
      const socket = new WebSocket(url, { headers: { origin: "http://localhost" } });
      socket.addEventListener("open", () => resolve(new Inspector(socket)));
      socket.addEventListener("error", () => reject(new Error(`cannot connect to the inspector at ${url}`)));
    });
  }

  send(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  close(): void {
    this.socket.close();
  }
}
