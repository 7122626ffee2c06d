// @ts-check
// What the /agent page keeps in this tab's session storage, so a reload or a dropped
// connection loses nothing: the token, the queues watched, presence, the conversation shown,
// each conversation's drafts, and the outbox of replies and notes not yet confirmed.

/**
 * A reply or a note on its way: its id is made once, when the agent presses Send, and the
 * same id goes with every retry (the server runs each id once).
 * @typedef {{ kind: "reply" | "note", id: string, bot: string, queue: string, entryId: string, text: string, at: number }} OutboxItem
 * @typedef {{ bot: string, queue: string }} QueueRef
 * @typedef {Pick<Storage, "getItem" | "setItem" | "removeItem">} KeyValue
 */

const PREFIX = "parley:agent:";
export const TOKEN_KEY = "parley:agent-token";
export const DEFAULT_QUEUES = /** @type {QueueRef[]} */ ([{ bot: "shop", queue: "general" }]);

export class SessionStore {
  /** @param {KeyValue} storage */
  constructor(storage) {
    this.storage = storage;
  }

  /** @returns {string | null} */
  get token() {
    return this.read(TOKEN_KEY);
  }

  /** @param {string | null} token */
  set token(token) {
    this.write(TOKEN_KEY, token);
  }

  /** @returns {QueueRef[]} */
  get queues() {
    const stored = this.json(`${PREFIX}queues`);
    if (!Array.isArray(stored)) return DEFAULT_QUEUES.map((ref) => ({ ...ref }));
    return stored.filter(isQueueRef).map(({ bot, queue }) => ({ bot, queue }));
  }

  /** @param {QueueRef[]} queues */
  set queues(queues) {
    this.write(`${PREFIX}queues`, JSON.stringify(queues));
  }

  /** @returns {"online" | "away"} */
  get presence() {
    return this.read(`${PREFIX}presence`) === "away" ? "away" : "online";
  }

  /** @param {"online" | "away"} presence */
  set presence(presence) {
    this.write(`${PREFIX}presence`, presence);
  }

  /** The conversation on screen. @returns {string | null} */
  get selected() {
    return this.read(`${PREFIX}selected`);
  }

  /** @param {string | null} entryId */
  set selected(entryId) {
    this.write(`${PREFIX}selected`, entryId);
  }

  /**
   * @param {string} entryId
   * @param {"reply" | "note"} box
   */
  draft(entryId, box) {
    return this.read(`${PREFIX}draft:${entryId}:${box}`) ?? "";
  }

  /**
   * @param {string} entryId
   * @param {"reply" | "note"} box
   * @param {string} text empty removes the draft
   */
  setDraft(entryId, box, text) {
    this.write(`${PREFIX}draft:${entryId}:${box}`, text === "" ? null : text);
  }

  /** @returns {OutboxItem[]} in the order they were sent */
  get outbox() {
    const stored = this.json(`${PREFIX}outbox`);
    return Array.isArray(stored) ? stored.filter(isOutboxItem) : [];
  }

  /** @param {OutboxItem} item */
  addToOutbox(item) {
    this.setOutbox([...this.outbox.filter((known) => known.id !== item.id), item]);
  }

  /** @param {string} id */
  removeFromOutbox(id) {
    this.setOutbox(this.outbox.filter((item) => item.id !== id));
  }

  /**
   * A conversation that is no longer this agent's: its drafts and unsent items go.
   * @param {string} entryId
   * @returns {OutboxItem[]} the items dropped (the page tells the agent they were not sent)
   */
  forget(entryId) {
    this.setDraft(entryId, "reply", "");
    this.setDraft(entryId, "note", "");
    const dropped = this.outbox.filter((item) => item.entryId === entryId);
    if (dropped.length > 0) this.setOutbox(this.outbox.filter((item) => item.entryId !== entryId));
    if (this.selected === entryId) this.selected = null;
    return dropped;
  }

  /** @param {OutboxItem[]} items */
  setOutbox(items) {
    this.write(`${PREFIX}outbox`, items.length > 0 ? JSON.stringify(items) : null);
  }

  /** @param {string} key */
  read(key) {
    try {
      return this.storage.getItem(key);
    } catch {
      return null;
    }
  }

  /**
   * Storage may be full or refused (private modes): the page keeps working, it just forgets on reload.
   * @param {string} key
   * @param {string | null} value null removes it
   */
  write(key, value) {
    try {
      if (value === null) this.storage.removeItem(key);
      else this.storage.setItem(key, value);
    } catch {
      // See above.
    }
  }

  /** @param {string} key @returns {unknown} */
  json(key) {
    try {
      return JSON.parse(this.read(key) ?? "null");
    } catch {
      return null;
    }
  }
}

/** @param {unknown} value @returns {value is QueueRef} */
function isQueueRef(value) {
  if (typeof value !== "object" || value === null) return false;
  const ref = /** @type {Record<string, unknown>} */ (value);
  return typeof ref["bot"] === "string" && typeof ref["queue"] === "string";
}

/** @param {unknown} value @returns {value is OutboxItem} */
function isOutboxItem(value) {
  if (!isQueueRef(value)) return false;
  const item = /** @type {Record<string, unknown>} */ (value);
  return (
    (item["kind"] === "reply" || item["kind"] === "note") &&
    typeof item["id"] === "string" &&
    typeof item["entryId"] === "string" &&
    typeof item["text"] === "string" &&
    typeof item["at"] === "number"
  );
}
