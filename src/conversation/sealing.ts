import type { SlotValue } from "../dialog/index.js";
import type { Keyring } from "../security/keyring.js";
import { isSealed, keyIdOf, openText, sealText } from "../security/keyring.js";
import type { ConversationEvent, StoredEvent } from "./events.js";
import { maskSpans } from "./redaction.js";
import type { ConversationState } from "./state.js";

/**
 * Sensitive data at rest: slot values flagged `sensitive` and the spans of user messages
 * that hold them are AES-GCM sealed (bound to the user id) before they reach storage.
 * In memory the actor keeps plaintext; storage, logs and API answers never see it.
 */
export async function sealEvent(event: ConversationEvent, keyring: Keyring, userId: string): Promise<ConversationEvent> {
  if (event.type === "slot.set" && event.sensitive && !isSealed(event.value)) {
    return { ...event, value: await sealText(keyring, JSON.stringify(event.value), userId) };
  }
  if (event.type === "message.user" && event.sensitiveSpans?.length) {
    const { sensitiveSpans, ...rest } = event;
    return { ...rest, text: maskSpans(event.text, sensitiveSpans), sealedText: await sealText(keyring, event.text, userId) };
  }
  return event;
}

export function sealEvents(events: readonly StoredEvent[], keyring: Keyring, userId: string): Promise<StoredEvent[]> {
  return Promise.all(events.map(async (stored) => ({ ...stored, event: await sealEvent(stored.event, keyring, userId) })));
}

/**
 * The event as the reducer needs it: sensitive slot values opened. With `forExport`, the
 * user's own messages are restored in full too (their data, for them).
 */
export async function openEvent(event: ConversationEvent, keyring: Keyring, userId: string, forExport = false): Promise<ConversationEvent> {
  if (event.type === "slot.set" && isSealed(event.value)) {
    return { ...event, value: JSON.parse(await openText(keyring, event.value, userId)) as string | number };
  }
  if (forExport && event.type === "message.user" && event.sealedText) {
    const { sealedText, ...rest } = event;
    return { ...rest, text: await openText(keyring, sealedText, userId) };
  }
  return event;
}

/** Re-seals under the active key whatever was sealed under another one (key rotation). */
export async function resealEvent(event: ConversationEvent, keyring: Keyring, userId: string): Promise<ConversationEvent> {
  const stale = (value: unknown) => isSealed(value) && keyIdOf(value) !== keyring.activeId;
  if (event.type === "slot.set" && stale(event.value)) return sealEvent(await openEvent(event, keyring, userId), keyring, userId);
  if (event.type === "message.user" && event.sealedText && stale(event.sealedText)) {
    return { ...event, sealedText: await sealText(keyring, await openText(keyring, event.sealedText, userId), userId) };
  }
  return event;
}

type SlotMap = Record<string, SlotValue>;

async function mapSensitiveSlots(slots: SlotMap, map: (value: SlotValue["value"]) => Promise<SlotValue["value"]>): Promise<SlotMap> {
  const out: SlotMap = {};
  for (const [name, slot] of Object.entries(slots)) out[name] = slot.sensitive ? { ...slot, value: await map(slot.value) } : slot;
  return out;
}

/** The state as a snapshot stores it: sensitive slot values sealed. */
export async function sealState(state: ConversationState, keyring: Keyring, userId: string): Promise<ConversationState> {
  const slots = await mapSensitiveSlots(state.dialog.slots, (value) => sealText(keyring, JSON.stringify(value), userId));
  return { ...state, dialog: { ...state.dialog, slots } };
}

export async function openState(state: ConversationState, keyring: Keyring, userId: string): Promise<ConversationState> {
  const slots = await mapSensitiveSlots(state.dialog.slots, async (value) =>
    isSealed(value) ? (JSON.parse(await openText(keyring, value, userId)) as string | number) : value,
  );
  return { ...state, dialog: { ...state.dialog, slots } };
}
