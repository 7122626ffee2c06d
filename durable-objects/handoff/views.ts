import { compareLinePlaces, secondsBetween } from "../../src/handoff/line.js";
import type { AgentNote, HeldEntry, LineEntry } from "../../src/protocol/agent.js";
import type { Entry } from "./queue-store.js";

/** A waiting entry as agents see it: no conversation id, no user. */
export function lineEntryOf(entry: Entry, position: number, now: number): LineEntry {
  return {
    entryId: entry.entryId,
    position,
    waitedSeconds: secondsBetween(entry.waitStart, now),
    language: entry.summary.language,
    summary: entry.summary,
    overdue: entry.expiredNotified,
    ...(entry.transferredFrom ? { transferredFrom: entry.transferredFrom } : {}),
  };
}

/** The line in order, numbered from 1. */
export function lineOf(waiting: readonly Entry[], now: number): LineEntry[] {
  return [...waiting].sort(compareLinePlaces).map((entry, index) => lineEntryOf(entry, index + 1, now));
}

export function heldEntryOf(entry: Entry, notes: AgentNote[]): HeldEntry {
  const claimedAt = entry.claimedAt ?? entry.waitStart;
  return {
    entryId: entry.entryId,
    claimedAt,
    waitedSeconds: secondsBetween(entry.waitStart, claimedAt),
    language: entry.summary.language,
    summary: entry.summary,
    notes,
  };
}
