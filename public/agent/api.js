// @ts-check
// The agent API (/v1/agent/…, src/protocol/agent.ts has the schemas) as the page calls it.

/**
 * @typedef {{ id: string, name: string }} Author
 * @typedef {{ seq: number, at: number, role: "user" | "bot" | "agent" | "system", text: string, author?: Author }} VisibleMessage
 * @typedef {{ intent: string | null, reason: string, language: "en" | "zh", slots: Record<string, string | number>,
 *   lastMessages: VisibleMessage[] }} Summary
 * @typedef {{ entryId: string, position: number, waitedSeconds: number, language: "en" | "zh", summary: Summary,
 *   overdue: boolean, transferredFrom?: string }} LineEntry
 * @typedef {{ noteId: string, at: number, author: Author, text: string }} Note
 * @typedef {{ entryId: string, claimedAt: number, waitedSeconds: number, language: "en" | "zh", summary: Summary,
 *   notes: Note[] }} HeldEntry
 * @typedef {{ waiting: number, agentsOnline: number, handled: number, abandoned: number, tickets: number,
 *   waitP50Seconds: number | null, waitP90Seconds: number | null }} QueueStats
 * @typedef {{ bot: string, queue: string, line: LineEntry[], held: HeldEntry[], stats: QueueStats }} QueueView
 * @typedef {{ entryId: string, messageId: string, seq: number, duplicate: boolean }} ReplyAnswer
 * @typedef {{ entryId: string, messages: VisibleMessage[], notes: Note[] }} History
 * @typedef {{ id: string, text: string | { en?: string, zh?: string } }} CannedReply
 *
 * The frames of an agent's socket (src/protocol/agent-frames.ts), as the page reads them:
 * @typedef {{ type: "line", entries: LineEntry[], stats: QueueStats } | { type: "entry", entryId: string, entry: LineEntry | null }
 *   | { type: "held", entries: HeldEntry[] } | { type: "message", entryId: string, message: VisibleMessage }
 *   | { type: "claimed", entryId: string, agent: Author } | { type: "released", entryId: string, reason: string }
 *   | { type: "noted", entryId: string, note: Note } | { type: "sent", entryId: string, messageId: string, seq: number }
 *   | { type: "error", code: string, message: string, entryId?: string }} AgentFrame
 */

/** A refusal of the API, or no answer at all (`status` 0: the network). */
export class AgentApiError extends Error {
  /**
   * @param {number} status
   * @param {string} code
   * @param {string} message
   */
  constructor(status, code, message) {
    super(message);
    this.name = "AgentApiError";
    this.status = status;
    this.code = code;
  }

  /** Worth sending again as it was: no answer, a 5xx, or a rate limit. */
  get retryable() {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

/** @param {string} part */
const seg = (part) => encodeURIComponent(part);

export class AgentApi {
  /** @param {() => string | null} token */
  constructor(token) {
    this.token = token;
  }

  /** @param {string} bot @param {string} queue @returns {Promise<QueueView>} */
  queue(bot, queue) {
    return this.call("GET", `/v1/agent/queues/${seg(bot)}/${seg(queue)}`);
  }

  /** @param {string} bot @returns {Promise<{ cannedReplies: CannedReply[] }>} */
  canned(bot) {
    return this.call("GET", `/v1/agent/bots/${seg(bot)}/canned`);
  }

  /** @param {string} bot @param {string} queue @param {string} entryId @returns {Promise<{ entry: HeldEntry }>} */
  claim(bot, queue, entryId) {
    return this.call("POST", `${entryPath(bot, queue, entryId)}/claim`);
  }

  /** @param {string} bot @param {string} queue @param {string} entryId @returns {Promise<History>} */
  history(bot, queue, entryId) {
    return this.call("GET", `${entryPath(bot, queue, entryId)}/history`);
  }

  /**
   * @param {string} bot @param {string} queue @param {string} entryId
   * @param {{ messageId: string, text: string }} body
   * @returns {Promise<ReplyAnswer>}
   */
  reply(bot, queue, entryId, body) {
    return this.call("POST", `${entryPath(bot, queue, entryId)}/reply`, body);
  }

  /**
   * @param {string} bot @param {string} queue @param {string} entryId
   * @param {{ noteId: string, text: string }} body
   * @returns {Promise<{ note: Note }>}
   */
  note(bot, queue, entryId, body) {
    return this.call("POST", `${entryPath(bot, queue, entryId)}/notes`, body);
  }

  /**
   * @param {string} bot @param {string} queue @param {string} entryId @param {string} toQueue
   * @returns {Promise<{ entryId: string, toQueue: string }>}
   */
  transfer(bot, queue, entryId, toQueue) {
    return this.call("POST", `${entryPath(bot, queue, entryId)}/transfer`, { toQueue });
  }

  /** @param {string} bot @param {string} queue @param {string} entryId @returns {Promise<{ entryId: string }>} */
  end(bot, queue, entryId) {
    return this.call("POST", `${entryPath(bot, queue, entryId)}/end`);
  }

  /**
   * The answer's JSON, typed as the route's schema says (the caller names it; the server checks
   * its answers against the same schemas).
   * @template T
   * @param {"GET" | "POST"} method
   * @param {string} path
   * @param {unknown} [body]
   * @returns {Promise<T>}
   */
  async call(method, path, body) {
    /** @type {Record<string, string>} */
    const headers = { authorization: `Bearer ${this.token() ?? ""}` };
    if (body !== undefined) headers["content-type"] = "application/json";
    let response;
    try {
      response = await fetch(path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    } catch (error) {
      throw new AgentApiError(0, "network", error instanceof Error ? error.message : String(error));
    }
    if (response.ok) return /** @type {Promise<T>} */ (response.json());
    const { error } = /** @type {{ error?: { code?: string, message?: string } }} */ (await response.json().catch(() => ({})));
    throw new AgentApiError(response.status, error?.code ?? "unknown", error?.message ?? `the server answered ${response.status}`);
  }
}

/** @param {string} bot @param {string} queue @param {string} entryId */
function entryPath(bot, queue, entryId) {
  return `/v1/agent/queues/${seg(bot)}/${seg(queue)}/entries/${seg(entryId)}`;
}
