/**
 * Cold start of a long conversation: the time an actor needs to rebuild its state from a
 * 10,000-event log, the way ConversationActor.load does it — open the newest sealed snapshot
 * (HMAC check + JSON) and fold the tail of events after it (JSON per row + reducer) — against
 * replaying the whole log. Pure code in Node; SQLite's own read time is not included.
 *   npx tsx bench/cold-start.ts [--events 10000] [--json]
 */
import type { ConversationEvent, StoredEvent } from "../src/conversation/events.js";
import type { Snapshot } from "../src/conversation/snapshot.js";
import { openSnapshot, sealSnapshot } from "../src/conversation/snapshot.js";
import type { ConversationState } from "../src/conversation/state.js";
import { foldEvents, initialConversationState } from "../src/conversation/state.js";
import { runTurn } from "../src/conversation/turn.js";
import { DEV_SNAPSHOT_MAC_KEY } from "../src/security/dev-secrets.js";
import { importHmacKey } from "../src/security/mac.js";
import { offlineAction } from "../test/support/offline-actions.js";
import { SHOPPER_SCRIPT, loadShop } from "./shopper.js";
import { median } from "./stats.js";

/** ConversationActor snapshots at least every this many events (SNAPSHOT_EVERY_EVENTS). */
const SNAPSHOT_EVERY_EVENTS = 200;
const USER_ID = "bench-cold-start-user";

/** A stored row as the actor reads it back: `data` is the event's JSON. */
interface EventRow {
  seq: number;
  at: number;
  data: string;
}

export interface Conversation {
  rows: EventRow[];
  /** the newest snapshot the actor would hold: sealed at a turn boundary less than 200 events back */
  snapshot: Snapshot;
  state: ConversationState;
}

/** Runs the example bot turn after turn until the log holds `events` events. */
export async function buildConversation(events: number, key: CryptoKey): Promise<Conversation> {
  const bot = loadShop();
  const rows: EventRow[] = [];
  const boundaries: ConversationState[] = [];
  let state = initialConversationState();
  let at = Date.UTC(2026, 0, 1);
  for (let turn = 0; state.seq < events; turn++) {
    at += turn % SHOPPER_SCRIPT.length === 0 ? 86_400_000 : 8_000; // a new session every script
    const text = SHOPPER_SCRIPT[turn % SHOPPER_SCRIPT.length] ?? "hi";
    const outcome = await runTurn(state, { text, at, clientMessageId: `m${turn}` }, bot, async (action) => offlineAction(action));
    for (const stored of outcome.events) rows.push({ seq: stored.seq, at: stored.at, data: JSON.stringify(stored.event) });
    state = outcome.state;
    boundaries.push(state);
  }
  // The actor seals a snapshot once 200 events have piled up, so the worst tail it ever
  // replays is just under 200 events: take the oldest turn boundary within that distance.
  const newest = boundaries.find((boundary) => state.seq - boundary.seq < SNAPSHOT_EVERY_EVENTS) ?? state;
  return { rows, snapshot: await sealSnapshot(key, USER_ID, newest, at), state };
}

function parseRows(rows: readonly EventRow[], afterSeq: number): StoredEvent[] {
  const events: StoredEvent[] = [];
  for (const row of rows) {
    if (row.seq > afterSeq) events.push({ seq: row.seq, at: row.at, event: JSON.parse(row.data) as ConversationEvent });
  }
  return events;
}

/** ConversationActor.load: newest valid snapshot, then the tail after it. */
export async function loadFromSnapshot(key: CryptoKey, conversation: Conversation): Promise<ConversationState> {
  const opened = await openSnapshot(key, USER_ID, conversation.snapshot);
  if (!opened.ok) throw new Error(`snapshot rejected: ${opened.reason}`);
  return foldEvents(opened.state, parseRows(conversation.rows, opened.state.seq));
}

/** No snapshot: every event from the first. */
export function replayAll(conversation: Conversation): ConversationState {
  return foldEvents(initialConversationState(), parseRows(conversation.rows, 0));
}

export interface ColdStartResult {
  events: number;
  tailEvents: number;
  snapshotBytes: number;
  /** median ms, snapshot + tail */
  snapshotMs: number;
  /** the very first load, before the JIT has seen this code */
  snapshotFirstMs: number;
  /** median ms, full replay */
  replayMs: number;
}

export async function measureColdStart(events = 10_000, rounds = 30): Promise<ColdStartResult> {
  const key = await importHmacKey(DEV_SNAPSHOT_MAC_KEY);
  const conversation = await buildConversation(events, key);
  const expected = JSON.stringify(conversation.state);

  let started = performance.now();
  const first = await loadFromSnapshot(key, conversation);
  const snapshotFirstMs = performance.now() - started;
  if (JSON.stringify(first) !== expected) throw new Error("snapshot + tail does not rebuild the same state");
  if (JSON.stringify(replayAll(conversation)) !== expected) throw new Error("full replay does not rebuild the same state");

  const snapshotTimes: number[] = [];
  const replayTimes: number[] = [];
  for (let round = 0; round < rounds; round++) {
    started = performance.now();
    await loadFromSnapshot(key, conversation);
    snapshotTimes.push(performance.now() - started);
    started = performance.now();
    replayAll(conversation);
    replayTimes.push(performance.now() - started);
  }
  return {
    events: conversation.rows.length,
    tailEvents: conversation.state.seq - conversation.snapshot.seq,
    snapshotBytes: conversation.snapshot.body.length,
    snapshotMs: median(snapshotTimes),
    snapshotFirstMs,
    replayMs: median(replayTimes),
  };
}

async function main(argv: readonly string[]): Promise<void> {
  const eventsFlag = argv.indexOf("--events");
  const events = eventsFlag >= 0 ? Number(argv[eventsFlag + 1]) : 10_000;
  const result = await measureColdStart(events);
  if (argv.includes("--json")) {
    console.log(JSON.stringify(result));
    return;
  }
  console.log(`conversation of ${result.events} events, snapshot ${result.snapshotBytes} bytes, tail ${result.tailEvents} events`);
  console.log(`  snapshot + tail: median ${result.snapshotMs.toFixed(2)} ms (first load ${result.snapshotFirstMs.toFixed(2)} ms)`);
  console.log(`  full replay:     median ${result.replayMs.toFixed(2)} ms`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main(process.argv.slice(2));
