/**
 * The shared vocabulary of human handoff (issue 21): what a conversation actor tells its bot's
 * handoff queue, and what the queue (for its agents) tells the conversation. One
 * HandoffQueue Durable Object per (bot, queue), named `${bot}:${queue}`.
 *
 * Privacy: a queue carries the user's pseudonym and the conversation actor's opaque object id
 * (`ctx.id.toString()`, reached again with `CONVERSATION.idFromString`), never the user id.
 * Texts it holds are masked as history shows them (`***5678`).
 */

export type Lang = "en" | "zh";

/** A message as an agent sees it: masked, with who wrote it. */
export interface AgentVisibleMessage {
  seq: number;
  at: number;
  role: "user" | "bot" | "agent" | "system";
  text: string;
  /** on an agent's message or a system line about an agent */
  author?: { id: string; name: string };
}

/** What waits in the queue beside the conversation: enough to pick it and start well. */
export interface HandoffSummary {
  /** the intent that led here, if any */
  intent: string | null;
  /** the flow's handoff reason ("requested", "order_problem", "reprompts_exhausted"…) */
  reason: string;
  language: Lang;
  /** the conversation's slots, sensitive ones masked */
  slots: Record<string, string | number>;
  /** the last messages (at most 10), masked */
  lastMessages: AgentVisibleMessage[];
}

/** conversation actor → queue: put me in line (idempotent per conversationId while waiting or held). */
export interface EnqueueRequest {
  /** the ConversationActor's object id (opaque hex), to call it back */
  conversationId: string;
  /** the user's pseudonym: what agents, logs and metrics see */
  user: string;
  bot: string;
  queue: string;
  summary: HandoffSummary;
  /** the bot's handoff.maxWaitSeconds: the queue calls `waitExpired` after it */
  maxWaitSeconds: number;
  at: number;
  /**
   * (added by the queue helper) set by a queue transferring the conversation here: `at` stays the
   * first wait start (the line order keeps it), the max-wait clock starts again on arrival.
   */
  transferredFrom?: string;
}

export interface EnqueueAnswer {
  /** 1-based place in the waiting line (0 once an agent holds it) */
  position: number;
  /** a guess from recent claim times, null when there is nothing to guess from */
  etaSeconds: number | null;
  agentsOnline: number;
}

/** A message the user left for the agents when nobody could take the conversation. */
export interface TicketRequest {
  conversationId: string;
  user: string;
  text: string;
  summary: HandoffSummary;
  at: number;
}

/** How a held conversation ends for its agent. */
export type HandBack = { resolution: "resolved" } | { resolution: "transferred"; toQueue: string };

export interface AgentRef {
  agentId: string;
  /** display name, shown to the user */
  agentName: string;
}

/*
 * RPC of the HandoffQueue (owner: queue helper), called by the conversation actor:
 *   enqueue(request: EnqueueRequest): Promise<EnqueueAnswer>
 *   cancel(conversationId: string, reason: "user_cancelled" | "erased" | "ticket"): Promise<void>
 *   userMessage(conversationId: string, message: AgentVisibleMessage): Promise<void>
 *   leaveTicket(ticket: TicketRequest): Promise<{ ticketId: string }>
 *   agentsOnline(): Promise<number>
 *
 * RPC of the ConversationActor (owner: lead), called by the HandoffQueue:
 *   agentJoined(agent: AgentRef): Promise<void>
 *   agentMessage(agent: AgentRef, message: { messageId: string; text: string }): Promise<{ seq: number; duplicate: boolean }>
 *   agentTyping(agent: AgentRef): Promise<void>
 *   agentLeft(agent: AgentRef, handBack: HandBack): Promise<void>
 *   waitExpired(queue: string): Promise<void>
 *   agentHistory(): Promise<AgentVisibleMessage[]>   // the whole conversation, masked, for the agent who holds it
 */

// ── added by the queue helper ───────────────────────────────────────────────

/** Why a conversation leaves its queue on its own side (`cancel`). */
export type CancelReason = "user_cancelled" | "erased" | "ticket";

/**
 * The ConversationActor's RPC as the HandoffQueue calls it (the list above, typed): the lead's
 * class can declare `implements HandoffConversation` so both sides are checked against one shape.
 * The queue calls `agentJoined`, `agentLeft` and `waitExpired` at least once (retried from its
 * outbox until they succeed): they must be idempotent.
 */
export interface HandoffConversation {
  agentJoined(agent: AgentRef): Promise<void>;
  agentMessage(agent: AgentRef, message: { messageId: string; text: string }): Promise<{ seq: number; duplicate: boolean }>;
  agentTyping(agent: AgentRef): Promise<void>;
  agentLeft(agent: AgentRef, handBack: HandBack): Promise<void>;
  waitExpired(queue: string): Promise<void>;
  agentHistory(): Promise<AgentVisibleMessage[]>;
}

/*
 * More RPC of the HandoffQueue, called by the conversation actor:
 *   rated(conversationId: string, score: number): Promise<void>
 *     the 1–5 satisfaction answer after a hand-back, sent to the queue whose agent resolved it
 *     (it counts once per entry; a score outside 1–5 is ignored)
 */
