import type { SlotValue } from "../dialog/index.js";
import { activeFlow, maskValue } from "../dialog/index.js";
import type { ConversationView } from "../protocol/conversation.js";
import type { ConversationState } from "./state.js";

/** The flow the user is in, if any. */
export function activeFlowOf(state: ConversationState): string | null {
  return activeFlow(state.dialog);
}

/** A flow finishes on the bot version it started on: the version of the top flow frame. */
export function pinnedVersionOf(state: ConversationState): string | null {
  return state.dialog.flows.at(-1)?.botVersion ?? null;
}

/** Slot values as an API answer shows them: sensitive ones masked (`"***1234"`). */
export function redactSlots(slots: Record<string, SlotValue>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [name, slot] of Object.entries(slots)) out[name] = slot.sensitive ? maskValue(slot.value) : slot.value;
  return out;
}

/**
 * `GET /v1/conversation`: where the user stands, sensitive slots masked. `botVersion` is the
 * version the next turn runs on — the pinned flow's, else the cohort's — as the caller resolved it.
 */
export function conversationViewOf(userId: string, state: ConversationState, next: Pick<ConversationView, "botVersion" | "cohort">): ConversationView {
  return { userId, seq: state.seq, slots: redactSlots(state.dialog.slots), activeFlow: activeFlowOf(state), ...next };
}
