import { DurableObject } from "cloudflare:workers";
import { BotCatalog, DEFAULT_ROLLOUT_TTL_MS } from "../../platform/bot-catalog.js";
import type { Env } from "../../platform/env.js";
import type { HandoffMetrics } from "../../platform/handoff-metrics.js";
import { handoffMetrics } from "../../platform/handoff-metrics.js";
import { applyLogLevel, logEvent } from "../../platform/log.js";
import type { QueueStats } from "../../src/handoff/stats.js";
import { withMessage } from "../../src/handoff/summary.js";
import type { AgentRef, AgentVisibleMessage, CancelReason, EnqueueAnswer, EnqueueRequest, HandoffSummary, TicketRequest } from "../../src/handoff/types.js";
import type { AgentHistory, AgentNote, AuditRow, HeldEntry, NoteBody, QueueView, ReplyAnswer, ReplyBody, Ticket } from "../../src/protocol/agent.js";
import type { Refusal } from "../../src/protocol/errors.js";
import { AgentDesk } from "./agent-desk.js";
import { AgentSockets } from "./agent-sockets.js";
import { splitQueueKey } from "./bot-handoff.js";
import { ConversationCalls } from "./conversation-calls.js";
import { QueueBoard } from "./queue-board.js";
import { QueueStore } from "./queue-store.js";

/** What an erased conversation's ended entries keep of their summary: nothing but the language. */
const ERASED_SUMMARY: HandoffSummary = { intent: null, reason: "erased", language: "en", slots: {}, lastMessages: [] };

/** A random, URL-safe id agents know an entry by (128 bits). */
function newEntryId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

/**
 * One per (bot, queue), named `${bot}:${queue}` (issue 21): the waiting line, claims, agents'
 * presence and sockets, tickets, notes and the audit trail. Conversation actors enqueue and
 * cancel themselves here; agents act through the gateway's REST routes or their sockets.
 * No polling: the one alarm is the next max-wait deadline or the next retry of a call owed to a
 * conversation.
 */
export class HandoffQueue extends DurableObject<Env> {
  private readonly store: QueueStore;
  private readonly sockets: AgentSockets;
  private readonly board: QueueBoard;
  private readonly desk: AgentDesk;
  private readonly queue: string;
  private readonly metrics: HandoffMetrics;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    applyLogLevel(env.LOG_LEVEL);
    this.store = new QueueStore(ctx.storage.sql);
    const key = ctx.id.name ?? this.store.meta("name");
    const name = key ? splitQueueKey(key) : null;
    if (!name || !key) throw new Error("a handoff queue is named <bot>:<queue> (getByName)");
    if (this.store.meta("name") !== key) this.store.putMeta("name", key);
    this.queue = name.queue;
    this.sockets = new AgentSockets(ctx);
    const calls = new ConversationCalls(env, this.store);
    this.metrics = handoffMetrics(env, name.bot, name.queue);
    const catalog = new BotCatalog(() => env.REGISTRY.getByName("global"), Number(env.ROLLOUT_TTL_MS ?? DEFAULT_ROLLOUT_TTL_MS));
    const parts = { ctx, env, store: this.store, sockets: this.sockets, calls, catalog, metrics: this.metrics, bot: name.bot, queue: name.queue };
    this.board = new QueueBoard(parts);
    this.desk = new AgentDesk(parts, this.board);
  }

  // ── called by conversation actors ─────────────────────────────────────────

  /** Puts the conversation in line; again while it waits or is held: its place, nothing new. */
  async enqueue(request: EnqueueRequest): Promise<EnqueueAnswer> {
    this.env.CONVERSATION.idFromString(request.conversationId); // throws for anything but an object id
    const now = Date.now();
    let entry = this.store.activeEntry(request.conversationId);
    if (!entry) {
      const deadline = (request.transferredFrom ? now : request.at) + request.maxWaitSeconds * 1000;
      entry = this.store.insertEntry({
        entryId: newEntryId(),
        conversationId: request.conversationId,
        user: request.user,
        summary: request.summary,
        waitStart: request.at,
        maxWaitSeconds: request.maxWaitSeconds,
        deadline,
        transferredFrom: request.transferredFrom ?? null,
      });
      this.metrics.enqueued();
      this.board.pushWaiting(entry, now);
      await this.board.schedule();
    }
    return { ...this.board.placeOf(entry, now), agentsOnline: this.sockets.agentsOnline() };
  }

  /** The conversation left (back to the bot, a ticket, erased). Unknown or gone already: nothing happens. */
  cancel(conversationId: string, reason: CancelReason): void {
    const entry = this.store.activeEntry(conversationId);
    const at = Date.now();
    this.ctx.storage.transactionSync(() => {
      if (entry) this.store.finish(entry.entryId, "cancelled", reason, at, entry.state === "waiting" && reason !== "ticket");
      // A join or a max-wait notice not delivered yet would reach a conversation that has moved on.
      this.store.outbox.drop(conversationId, ["agentJoined", "waitExpired"]);
      if (reason === "erased") this.store.scrub(conversationId, ERASED_SUMMARY);
    });
    if (!entry) return;
    if (entry.state === "waiting" && reason !== "ticket") this.metrics.abandoned();
    else if (entry.state === "held") this.metrics.handled(reason === "ticket" ? "user_cancelled" : reason);
    if (entry.state === "waiting") this.board.pushGone(entry.entryId);
    else if (entry.agent) this.board.pushReleased(entry.agent.agentId, entry.entryId, reason);
  }

  /** A user message while in line (kept in the summary) or held (also live to the agent). */
  userMessage(conversationId: string, message: AgentVisibleMessage): void {
    const entry = this.store.activeEntry(conversationId);
    if (!entry) return;
    const updated = { ...entry, summary: withMessage(entry.summary, message) };
    this.store.putSummary(entry.entryId, updated.summary);
    if (entry.state === "waiting") this.board.pushWaiting(updated);
    else if (entry.agent) this.sockets.toAgent(entry.agent.agentId, { type: "message", entryId: entry.entryId, message });
  }

  /** A message for the agents when nobody could take the conversation; the same one again: the same ticket. */
  leaveTicket(ticket: TicketRequest): { ticketId: string } {
    const known = this.store.ticketAt(ticket.conversationId, ticket.at);
    if (known) return { ticketId: known };
    const ticketId = newEntryId();
    this.store.putTicket({ ...ticket, ticketId, language: ticket.summary.language });
    this.metrics.ticket();
    return { ticketId };
  }

  agentsOnline(): number {
    return this.sockets.agentsOnline();
  }

  /** The queue's figures (waiting now, agents online, waits, handled…): what /admin and GET /v1/admin/handoff show. */
  stats(): QueueStats {
    return this.board.stats();
  }

  /** The 1–5 answer after a hand-back, counted once for the conversation's last ended entry here. */
  rated(conversationId: string, score: number): void {
    if (!Number.isInteger(score) || score < 1 || score > 5) return;
    const entry = this.store.lastEndedEntry(conversationId);
    if (entry && this.store.putRating(entry.entryId, score, Date.now())) this.metrics.rated(score);
  }

  // ── called by the gateway for an agent ────────────────────────────────────

  view(agent: AgentRef): QueueView {
    return this.board.view(agent);
  }

  claim(agent: AgentRef, entryId: string): Promise<{ entry: HeldEntry } | Refusal> {
    return this.desk.claim(agent, entryId);
  }

  reply(agent: AgentRef, entryId: string, body: ReplyBody): Promise<ReplyAnswer | Refusal> {
    return this.desk.reply(agent, entryId, body);
  }

  note(agent: AgentRef, entryId: string, body: NoteBody): { note: AgentNote } | Refusal {
    return this.desk.note(agent, entryId, body);
  }

  transfer(agent: AgentRef, entryId: string, toQueue: string): Promise<{ entryId: string; toQueue: string } | Refusal> {
    return this.desk.transfer(agent, entryId, toQueue);
  }

  end(agent: AgentRef, entryId: string): Promise<{ entryId: string; resolution: "resolved" } | Refusal> {
    return this.desk.end(agent, entryId);
  }

  history(agent: AgentRef, entryId: string): Promise<AgentHistory | Refusal> {
    return this.desk.history(agent, entryId);
  }

  tickets(limit: number): Ticket[] {
    return this.store.tickets(limit);
  }

  audit(limit: number): AuditRow[] {
    return this.store.auditTrail(limit);
  }

  // ── sockets and alarm ─────────────────────────────────────────────────────

  override fetch(request: Request): Response {
    return this.sockets.accept(request, (agent) => this.board.greeting(agent));
  }

  override async webSocketMessage(ws: WebSocket, raw: string | ArrayBuffer): Promise<void> {
    const read = this.sockets.read(ws, raw);
    if (!read || read.frame.type === "ping" || read.frame.type === "presence") return;
    try {
      const answer = await this.desk.onFrame(read.agent, read.frame);
      if (answer) this.sockets.sendTo(ws, answer);
    } catch (error) {
      logEvent("error", "agent frame failed", { frame: read.frame.type, error: String(error) });
      this.sockets.sendTo(ws, { type: "error", code: "internal", message: "something went wrong; try again", entryId: read.frame.entryId });
    }
  }

  override webSocketClose(ws: WebSocket, code: number, reason: string): void {
    this.sockets.closed(ws, code, reason);
  }

  override webSocketError(ws: WebSocket): void {
    this.sockets.closed(ws, 1011, "socket error");
  }

  /** Tells each conversation past its max wait (once; it stays in line), and retries calls owed. */
  override async alarm(): Promise<void> {
    const now = Date.now();
    const overdue = this.store.overdue(now);
    this.ctx.storage.transactionSync(() => {
      for (const entry of overdue) {
        this.store.markExpiredNotified(entry.entryId);
        this.store.outbox.add(entry.conversationId, { call: "waitExpired", queue: this.queue }, now);
      }
    });
    for (const entry of overdue) this.board.pushWaiting({ ...entry, expiredNotified: true }, now);
    await Promise.all(this.store.outbox.dueConversations(now).map((conversationId) => this.board.settle(conversationId)));
    await this.board.schedule();
  }
}
