/** Parley's API as a client sees it (docs/api.md): turns, history, export — every answer classified, none trusted. */
import type { HttpAnswer } from "../bench/load.js";
import { HttpClient, describeError } from "../bench/load.js";
import { TokenBook } from "../bench/tokens.js";
import type { HistoryMessage } from "./invariants.js";

/** What one attempt of a turn got back. */
export type Attempt =
  | { kind: "acked"; seq: number; duplicate: boolean }
  | { kind: "refused"; retryAfter: string | undefined }
  /**
   * no answer (`status` 0: a connection error or timeout), or a 5xx: from the runtime, from Parley's
   * code, or Parley shedding load explicitly (`503` with `Retry-After`, safe to re-send)
   */
  | { kind: "unanswered"; status: number; source: "network" | "parley" | "shed" | "runtime"; reason: string }
  /** another 4xx: a bug in the client, or Parley refusing what it should take */
  | { kind: "rejected"; status: number; reason: string };

/** A check's read is tried this many times when its connection was closed under it. */
const GET_ATTEMPTS = 3;
const CLOSED_UNDER_US = new Set(["UND_ERR_SOCKET", "ECONNRESET", "EPIPE"]);

export interface Page {
  messages: HistoryMessage[];
  next: number | null;
}

export class ParleyApi {
  readonly http: HttpClient;
  readonly tokens = new TokenBook();

  constructor(
    readonly origin: string,
    connections: number,
    timeoutMs = 15_000,
  ) {
    this.http = new HttpClient(origin, connections, timeoutMs);
  }

  async authorized(userId: string): Promise<Record<string, string>> {
    return { authorization: `Bearer ${await this.tokens.get(userId)}` };
  }

  /** One attempt of `POST /v1/messages`. */
  async turn(userId: string, text: string, clientMessageId: string): Promise<Attempt> {
    const headers = { ...(await this.authorized(userId)), "content-type": "application/json" };
    let answer: HttpAnswer;
    try {
      answer = await this.http.send({ method: "POST", path: "/v1/messages", headers, body: JSON.stringify({ text, clientMessageId }) });
    } catch (error) {
      return { kind: "unanswered", status: 0, source: "network", reason: describeError(error) };
    }
    return classifyTurn(answer);
  }

  /** Every message of the user's history, following `next` page after page. */
  async history(userId: string): Promise<{ messages: HistoryMessage[]; raw: string }> {
    const messages: HistoryMessage[] = [];
    let raw = "";
    for (let after: number | null = 0; after !== null; ) {
      const answer = await this.get(userId, `/v1/conversation/messages?after=${after}&limit=200`);
      raw += answer;
      const page = JSON.parse(answer) as Page;
      messages.push(...page.messages);
      after = page.next;
    }
    return { messages, raw };
  }

  /** `GET /v1/conversation/export`, as text. */
  exportText(userId: string): Promise<string> {
    return this.get(userId, "/v1/conversation/export");
  }

  /** The seqs of an export, in the order they came. */
  static exportSeqs(ndjson: string): number[] {
    return ndjson
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => (JSON.parse(line) as { seq: number }).seq);
  }

  /**
   * A GET that must answer 200; throws otherwise (a check cannot run on a failed read). A pooled
   * connection the server closed as it was reused is tried again on a new one: a GET is safe to
   * repeat, and that race is the client's, not a failed read.
   */
  async get(userId: string, path: string): Promise<string> {
    const request = { method: "GET", path, headers: await this.authorized(userId) };
    let answer: HttpAnswer | undefined;
    for (let attempt = 1; answer === undefined; attempt++) {
      try {
        answer = await this.http.send(request);
      } catch (error) {
        if (attempt >= GET_ATTEMPTS || !CLOSED_UNDER_US.has(describeError(error))) throw error;
      }
    }
    if (answer.status !== 200) throw new Error(`GET ${path} as ${userId}: ${answer.status} ${answer.text.slice(0, 200)}`);
    return answer.text;
  }

  close(): Promise<void> {
    return this.http.close();
  }
}

export function classifyTurn(answer: HttpAnswer): Attempt {
  if (answer.status === 200) {
    const body = JSON.parse(answer.text) as { seq: number; duplicate: boolean };
    return { kind: "acked", seq: body.seq, duplicate: body.duplicate };
  }
  if (answer.status === 429) {
    const retryAfter = answer.headers["retry-after"];
    return { kind: "refused", retryAfter: typeof retryAfter === "string" ? retryAfter : undefined };
  }
  const reason = `${answer.status} ${answer.text.slice(0, 120)}`;
  if (answer.status >= 500) return { kind: "unanswered", status: answer.status, source: fiveXxSource(answer), reason };
  return { kind: "rejected", status: answer.status, reason };
}

/** 5xx answers by who gave them: Parley shedding load (503 + Retry-After), Parley's JSON error, or the runtime's dev proxy (anything else). */
export function fiveXxSource(answer: HttpAnswer): "parley" | "shed" | "runtime" {
  if (!/^\{"error":\{"code":"[a-z_]+"/.test(answer.text) || typeof answer.headers["x-request-id"] !== "string") return "runtime";
  return answer.status === 503 && answer.headers["retry-after"] !== undefined ? "shed" : "parley";
}
