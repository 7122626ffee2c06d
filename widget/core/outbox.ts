import type { KeyValueStore } from "./storage.js";
import { readJson, writeJson } from "./storage.js";

export interface OutboxEntry {
  clientMessageId: string;
  text: string;
  /** epoch ms, when the user pressed send */
  createdAt: number;
}

/** Past this many waiting messages the oldest are dropped: storage is small and shared. */
export const OUTBOX_MAX = 50;

/**
 * Messages the user sent that the server has not confirmed yet, kept in storage so a
 * reload or a crash loses none. Each keeps its `clientMessageId`: sending one again is
 * harmless because the server answers a repeated id with the first result.
 *
 * Every operation reads storage afresh: two tabs of one site share it, and a tab must not
 * overwrite what the other one queued.
 */
export class Outbox {
  constructor(
    private readonly store: KeyValueStore,
    private readonly key: string,
  ) {}

  list(): OutboxEntry[] {
    const stored = readJson(this.store, this.key);
    return Array.isArray(stored) ? stored.filter(isOutboxEntry) : [];
  }

  add(entry: OutboxEntry): void {
    const entries = this.list().filter((existing) => existing.clientMessageId !== entry.clientMessageId);
    entries.push(entry);
    this.save(entries.slice(-OUTBOX_MAX));
  }

  /** Returns whether the entry was there. */
  remove(clientMessageId: string): boolean {
    const entries = this.list();
    const kept = entries.filter((entry) => entry.clientMessageId !== clientMessageId);
    if (kept.length === entries.length) return false;
    this.save(kept);
    return true;
  }

  has(clientMessageId: string): boolean {
    return this.list().some((entry) => entry.clientMessageId === clientMessageId);
  }

  private save(entries: OutboxEntry[]): void {
    if (entries.length === 0) this.store.removeItem(this.key);
    else writeJson(this.store, this.key, entries);
  }
}

function isOutboxEntry(value: unknown): value is OutboxEntry {
  if (typeof value !== "object" || value === null) return false;
  const entry = value as Record<string, unknown>;
  return typeof entry["clientMessageId"] === "string" && typeof entry["text"] === "string" && typeof entry["createdAt"] === "number";
}
