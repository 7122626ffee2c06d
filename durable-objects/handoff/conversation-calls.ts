import type { Env } from "../../platform/env.js";
import { logEvent } from "../../platform/log.js";
import type { HandoffConversation } from "../../src/handoff/types.js";
import type { PendingCall } from "./outbox-store.js";
import type { QueueStore } from "./queue-store.js";

/** First retry delay of a failed call, doubled per attempt up to the cap; dropped after the last attempt. */
const RETRY_BASE_MS = 5_000;
const RETRY_MAX_MS = 5 * 60_000;
const MAX_ATTEMPTS = 50;

/** The conversation actor behind an opaque object id, as the queue calls it. */
export function conversationAt(env: Env, conversationId: string): HandoffConversation {
  const stub: unknown = env.CONVERSATION.get(env.CONVERSATION.idFromString(conversationId));
  // The one cast: a stub's methods are the actor's, made remote, and HandoffConversation is the
  // part of the actor a queue calls (src/handoff/types.ts, implemented by ConversationActor).
  return stub as HandoffConversation;
}

export function retryDelayMs(attempts: number): number {
  return Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.min(attempts, 16));
}

/**
 * The outbox of calls the queue owes conversations (joined, left, wait expired): written in the
 * same transaction as the change that owes them, made in order per conversation, retried by the
 * queue's alarm until they succeed. A claim thus never depends on the conversation answering.
 */
export class ConversationCalls {
  private readonly chains = new Map<string, Promise<boolean>>();

  constructor(
    private readonly env: Env,
    private readonly store: QueueStore,
  ) {}

  /** Makes every pending call of the conversation, in order: false when one failed (it waits for a retry). */
  deliver(conversationId: string): Promise<boolean> {
    const previous = this.chains.get(conversationId) ?? Promise.resolve(true);
    const next = previous.then(() => this.drain(conversationId));
    this.chains.set(conversationId, next);
    void next.finally(() => {
      if (this.chains.get(conversationId) === next) this.chains.delete(conversationId);
    });
    return next;
  }

  private async drain(conversationId: string): Promise<boolean> {
    for (const pending of this.store.outbox.pending(conversationId)) {
      try {
        await this.make(pending);
        this.store.outbox.done(pending.id);
      } catch (error) {
        const attempts = pending.attempts + 1;
        logEvent("warn", "handoff call to a conversation failed", { call: pending.call.call, attempts, error: String(error) });
        if (attempts < MAX_ATTEMPTS) {
          this.store.outbox.retry(pending.id, Date.now() + retryDelayMs(pending.attempts));
          return false;
        }
        this.store.outbox.done(pending.id);
      }
    }
    return true;
  }

  private make({ conversationId, call }: PendingCall): Promise<void> {
    const conversation = conversationAt(this.env, conversationId);
    switch (call.call) {
      case "agentJoined":
        return conversation.agentJoined(call.agent);
      case "agentLeft":
        return conversation.agentLeft(call.agent, call.handBack);
      case "waitExpired":
        return conversation.waitExpired(call.queue);
    }
  }
}
