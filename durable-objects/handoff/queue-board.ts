import type { BotCatalog } from "../../platform/bot-catalog.js";
import type { Env } from "../../platform/env.js";
import type { HandoffMetrics } from "../../platform/handoff-metrics.js";
import { etaSeconds } from "../../src/handoff/line.js";
import type { QueueStats } from "../../src/handoff/stats.js";
import { queueStatsOf } from "../../src/handoff/stats.js";
import type { AgentRef } from "../../src/handoff/types.js";
import type { HeldEntry, QueueView } from "../../src/protocol/agent.js";
import type { AgentServerFrame, ReleaseReason } from "../../src/protocol/agent-frames.js";
import type { AgentSockets } from "./agent-sockets.js";
import type { ConversationCalls } from "./conversation-calls.js";
import type { Entry, QueueStore } from "./queue-store.js";
import { heldEntryOf, lineEntryOf, lineOf } from "./views.js";

/** How many recent claims the wait figures and the ETA read. */
const RECENT_CLAIMS = 200;

/**
 * What the queue's helpers share (the actor's parts, handed over once): its storage, its
 * agents' sockets, its outbox to conversations, and its name.
 */
export interface QueueParts {
  ctx: DurableObjectState;
  env: Env;
  store: QueueStore;
  sockets: AgentSockets;
  calls: ConversationCalls;
  /** the bot definitions as this queue reads them: a catalog of its own (bot-handoff.ts says why) */
  catalog: BotCatalog;
  /** this queue's metric hooks: called where a thing happens, once */
  metrics: HandoffMetrics;
  bot: string;
  queue: string;
}

/**
 * The queue's read side and its pushes to agents: the line, the held lists, the figures, and
 * the alarm that keeps deadlines and retries.
 */
export class QueueBoard {
  constructor(private readonly parts: QueueParts) {}

  view(agent: AgentRef, now = Date.now()): QueueView {
    const { bot, queue, store } = this.parts;
    return { bot, queue, line: lineOf(store.waiting(), now), held: this.held(agent.agentId), stats: this.stats() };
  }

  /** The first frames of an agent's socket: the line and what the agent holds. */
  greeting(agent: AgentRef): AgentServerFrame[] {
    return [
      { type: "line", entries: lineOf(this.parts.store.waiting(), Date.now()), stats: this.stats() },
      { type: "held", entries: this.held(agent.agentId) },
    ];
  }

  held(agentId: string): HeldEntry[] {
    const { store } = this.parts;
    return store.heldBy(agentId).map((entry) => heldEntryOf(entry, store.notes(entry.entryId)));
  }

  stats(): QueueStats {
    const { store, sockets } = this.parts;
    const claims = store.recentClaims(RECENT_CLAIMS);
    return queueStatsOf({
      waiting: store.waitingCount(),
      claimWaitsMs: claims.map((claim) => claim.waitedMs),
      agentsOnline: sockets.agentsOnline(),
      ...store.counts(),
    });
  }

  /** Where a waiting entry stands, and a guess of its wait. */
  placeOf(entry: Entry, now: number): { position: number; etaSeconds: number | null } {
    if (entry.state !== "waiting") return { position: 0, etaSeconds: null };
    const position = this.parts.store.positionOf(entry);
    const claimTimes = this.parts.store.recentClaims(RECENT_CLAIMS).map((claim) => claim.claimedAt);
    return { position, etaSeconds: etaSeconds(position, claimTimes, now) };
  }

  /** Tells every agent that a waiting entry appeared or changed. */
  pushWaiting(entry: Entry, now = Date.now()): void {
    const position = this.parts.store.positionOf(entry);
    this.parts.sockets.broadcast({ type: "entry", entryId: entry.entryId, entry: lineEntryOf(entry, position, now) });
  }

  /** Tells every agent that an entry left the line. */
  pushGone(entryId: string): void {
    this.parts.sockets.broadcast({ type: "entry", entryId, entry: null });
  }

  /** Tells an agent a held conversation is no longer theirs, and what they still hold. */
  pushReleased(agentId: string, entryId: string, reason: ReleaseReason): void {
    this.parts.sockets.toAgent(agentId, { type: "released", entryId, reason });
    this.pushHeld(agentId);
  }

  pushHeld(agentId: string): void {
    this.parts.sockets.toAgent(agentId, { type: "held", entries: this.held(agentId) });
  }

  /** Makes the calls owed to a conversation; a failure leaves them to the alarm. */
  async settle(conversationId: string): Promise<boolean> {
    const delivered = await this.parts.calls.deliver(conversationId);
    if (!delivered) await this.schedule();
    return delivered;
  }

  /** One alarm, at the earliest of the next max-wait deadline and the next retry; none when neither. */
  async schedule(): Promise<void> {
    const { store, ctx } = this.parts;
    const next = [store.nextDeadline(), store.outbox.nextRetry()].filter((at): at is number => at !== null);
    if (next.length === 0) return;
    const at = Math.min(...next);
    const current = await ctx.storage.getAlarm();
    if (current === null || current > at) await ctx.storage.setAlarm(at);
  }
}
