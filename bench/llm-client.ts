/**
 * The LLM benchmark's HTTP client: one streamed POST, timed from the moment it is sent to the
 * first chunk that carries what the caller waits for (a `delta` event from Parley, a text frame
 * from the model) and to the end of the body. The same client, pool settings and clock serve
 * both sides of the comparison, so its own cost cancels out of the difference.
 */
import { Pool } from "undici";

export interface StreamedAnswer {
  status: number;
  /** ms from sending to the first chunk `isFirst` accepted; null when none did */
  firstMs: number | null;
  /** ms from sending to the end of the body */
  totalMs: number;
  /** `performance.now()` when the request was sent */
  sentAt: number;
  body: string;
}

export interface StreamedPost {
  path: string;
  headers: Record<string, string>;
  body: string;
  /** whether a chunk (decoded) holds the first thing waited for */
  isFirst: (chunk: string) => boolean;
}

const TIMEOUT_MS = 120_000;

export class StreamClient {
  private readonly pool: Pool;

  constructor(origin: string, connections: number) {
    this.pool = new Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 60_000, headersTimeout: TIMEOUT_MS, bodyTimeout: TIMEOUT_MS });
  }

  async post(post: StreamedPost): Promise<StreamedAnswer> {
    const decoder = new TextDecoder();
    const sentAt = performance.now();
    const response = await this.pool.request({ method: "POST", path: post.path, headers: post.headers, body: post.body });
    let firstMs: number | null = null;
    let body = "";
    for await (const chunk of response.body) {
      const text = decoder.decode(chunk as Uint8Array, { stream: true });
      // A chunk may end mid-line: look at it with the tail of what came before.
      if (firstMs === null && post.isFirst(body.slice(-64) + text)) firstMs = performance.now() - sentAt;
      body += text;
    }
    return { status: response.statusCode, firstMs, totalMs: performance.now() - sentAt, sentAt, body };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
