import type { StoredEvent } from "../../src/conversation/events.js";
import { openEvent, openState, resealEvent, sealEvents, sealState } from "../../src/conversation/sealing.js";
import type { ConversationState } from "../../src/conversation/state.js";
import type { Keyring } from "../../src/security/keyring.js";
import { isSealed, openText, sealText } from "../../src/security/keyring.js";
import type { ConversationStore } from "./store.js";

const SEALED_UNDER = "slot_key";

/**
 * The actor's event log with sensitive data sealed at rest: what goes in is sealed under
 * the active key, what the reducer reads is opened, and only the user's export sees the
 * original text of their messages.
 */
export class SealedLog {
  constructor(
    private readonly store: () => ConversationStore,
    private readonly keyring: () => Promise<Keyring>,
  ) {}

  async seal(events: readonly StoredEvent[], userId: string): Promise<StoredEvent[]> {
    if (!events.some(({ event }) => (event.type === "slot.set" && event.sensitive) || (event.type === "message.user" && event.sensitiveSpans))) {
      return [...events];
    }
    const keyring = await this.keyring();
    if (this.store().getMeta(SEALED_UNDER) === null) this.store().setMeta(SEALED_UNDER, keyring.activeId);
    return sealEvents(events, keyring, userId);
  }

  /** Events after `seq`, opened for the reducer. */
  async replayAfter(seq: number, userId: string | null): Promise<StoredEvent[]> {
    const events = [...this.store().eventsAfter(seq)];
    if (userId === null) return events;
    return this.open(events, userId, false);
  }

  /** Every event, one JSON object per line, with the user's own sensitive data opened. */
  async exportNdjson(userId: string): Promise<string> {
    const events = await this.open([...this.store().eventsAfter(0)], userId, true);
    return events.map(({ seq, at, event }) => `${JSON.stringify({ seq, at, type: event.type, data: event })}\n`).join("");
  }

  /** Whether sealed data predates the active key (meta `slot_key` names the key all of it is under). */
  async rotationPending(): Promise<boolean> {
    const sealedUnder = this.store().getMeta(SEALED_UNDER);
    return sealedUnder !== null && sealedUnder !== (await this.keyring()).activeId;
  }

  /** After a key rotation: re-seals what an older key sealed. True when it did. */
  async resealIfRotated(userId: string): Promise<boolean> {
    if (!(await this.rotationPending())) return false;
    const keyring = await this.keyring();
    for (const stored of [...this.store().sealedEvents()]) {
      const event = await resealEvent(stored.event, keyring, userId);
      if (event !== stored.event) this.store().rewrite({ ...stored, event });
    }
    this.store().setMeta(SEALED_UNDER, keyring.activeId);
    return true;
  }

  /** A text kept outside the log for a while (a voice transcript waiting for its turn), sealed under the active key. */
  async sealText(text: string, userId: string): Promise<string> {
    return sealText(await this.keyring(), text, userId);
  }

  /** Opens what `sealText` sealed; a text stored before sealing existed is returned as it is. */
  async openText(stored: string, userId: string): Promise<string> {
    return isSealed(stored) ? openText(await this.keyring(), stored, userId) : stored;
  }

  async sealState(state: ConversationState, userId: string): Promise<ConversationState> {
    return sealState(state, await this.keyring(), userId);
  }

  async openState(state: ConversationState, userId: string): Promise<ConversationState> {
    return openState(state, await this.keyring(), userId);
  }

  private async open(events: StoredEvent[], userId: string, forExport: boolean): Promise<StoredEvent[]> {
    const sealed = ({ event }: StoredEvent) =>
      (event.type === "slot.set" && isSealed(event.value)) || (forExport && event.type === "message.user" && event.sealedText !== undefined);
    if (!events.some(sealed)) return events;
    const keyring = await this.keyring();
    return Promise.all(
      events.map(async (stored) => (sealed(stored) ? { ...stored, event: await openEvent(stored.event, keyring, userId, forExport) } : stored)),
    );
  }
}
