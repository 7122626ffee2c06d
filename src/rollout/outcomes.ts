import type { ConversationEvent } from "../conversation/events.js";

/** What happened in a number of turns of one bot version: the canary's report card. */
export interface OutcomeCounts {
  turns: number;
  /** turns in which the bot fell back (did not understand, or gave up re-asking) */
  fallbacks: number;
  /** turns that asked for a human */
  handoffs: number;
  /** turns in which an action failed, a flow ended in error, or the turn itself failed */
  errors: number;
}

/** Counts of one bot version, as the actors' batchers send them to the registry. */
export interface VersionOutcomes extends OutcomeCounts {
  bot: string;
  version: string;
}

export function noOutcomes(): OutcomeCounts {
  return { turns: 0, fallbacks: 0, handoffs: 0, errors: 0 };
}

/** The outcome of one committed turn, read from the events it appended. */
export function outcomeOfTurn(events: Iterable<{ event: ConversationEvent }>): OutcomeCounts {
  const outcome = { turns: 1, fallbacks: 0, handoffs: 0, errors: 0 };
  for (const { event } of events) {
    if (event.type === "fallback.triggered") outcome.fallbacks = 1;
    else if (event.type === "handoff.requested") outcome.handoffs = 1;
    else if (event.type === "action.failed" || (event.type === "flow.ended" && event.reason === "error")) outcome.errors = 1;
  }
  return outcome;
}

/** A turn that failed before it could commit (the engine, sealing or storage threw): an error of its version. */
export function failedTurn(): OutcomeCounts {
  return { turns: 1, fallbacks: 0, handoffs: 0, errors: 1 };
}

/** `into += more`, field by field. */
export function addOutcomes(into: OutcomeCounts, more: OutcomeCounts): void {
  into.turns += more.turns;
  into.fallbacks += more.fallbacks;
  into.handoffs += more.handoffs;
  into.errors += more.errors;
}
