import { hmacHex, verifyHmacHex } from "../security/mac.js";
import type { ConversationState } from "./state.js";

/** Bumped when {@link ConversationState}'s shape changes: older snapshots are then replayed, not trusted. */
export const SNAPSHOT_FORMAT = 2;

export interface Snapshot {
  seq: number;
  at: number;
  /** JSON of `{ format, state }` */
  body: string;
  /** HMAC-SHA256 (hex) over user, seq, time and body */
  mac: string;
}

function macInput(userId: string, seq: number, at: number, body: string): string {
  // Length-prefixed user id: no two (user, seq, at, body) tuples share an input.
  return `${userId.length}:${userId}|${seq}|${at}|${body}`;
}

export async function sealSnapshot(key: CryptoKey, userId: string, state: ConversationState, at: number): Promise<Snapshot> {
  const body = JSON.stringify({ format: SNAPSHOT_FORMAT, state });
  const mac = await hmacHex(key, macInput(userId, state.seq, at, body));
  return { seq: state.seq, at, body, mac };
}

export type OpenedSnapshot = { ok: true; state: ConversationState } | { ok: false; reason: "bad_mac" | "bad_format" };

/** Verifies the MAC before trusting a byte of the body. */
export async function openSnapshot(key: CryptoKey, userId: string, snapshot: Snapshot): Promise<OpenedSnapshot> {
  const valid = await verifyHmacHex(key, macInput(userId, snapshot.seq, snapshot.at, snapshot.body), snapshot.mac);
  if (!valid) return { ok: false, reason: "bad_mac" };
  const parsed = JSON.parse(snapshot.body) as { format?: unknown; state?: ConversationState };
  if (parsed.format !== SNAPSHOT_FORMAT || !parsed.state || parsed.state.seq !== snapshot.seq) {
    return { ok: false, reason: "bad_format" };
  }
  return { ok: true, state: parsed.state };
}
