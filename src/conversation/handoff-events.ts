/** Who an agent's message or a system line is about: what the widget shows. */
export interface Author {
  id: string;
  name: string;
}

/**
 * A conversation's side of a human handoff (issue 21), as events of its log. The dialog engine
 * asks for a human (`handoff.requested`); the actor then queues the conversation and records
 * where it stands, and the queue's agents write into it through the actor.
 */
export type HandoffEvent =
  /** in line at `queue`: place and a guess of the wait */
  | { type: "handoff.queued"; v: 1; queue: string; position: number; etaSeconds: number | null }
  /** nobody can take it (out of office hours, or no agent online): the next message is a message for the team */
  | { type: "handoff.unavailable"; v: 1; queue: string; reason: "closed" | "nobody_online" }
  /** the wait passed the bot's maxWaitSeconds: the user was offered to leave a message */
  | { type: "handoff.wait_expired"; v: 1; queue: string }
  /** the user asked to leave a message: the next one is it */
  | { type: "handoff.drafting"; v: 1; queue: string }
  /** the message for the team, left with the queue as a ticket (the text is the user message before it) */
  | { type: "handoff.ticket"; v: 1; queue: string; ticketId: string }
  | { type: "handoff.cancelled"; v: 1; queue: string }
  | { type: "agent.joined"; v: 1; queue: string; agent: Author }
  | { type: "agent.left"; v: 1; agent: Author; resolution: "resolved" | "transferred"; toQueue?: string }
  /** an agent's message to the user */
  | { type: "message.agent"; v: 1; text: string; author: Author; messageId: string }
  /** a line about the conversation ("Anna joined the chat") */
  | { type: "message.system"; v: 1; text: string; author?: Author }
  | { type: "rating.asked"; v: 1; queue: string }
  | { type: "rating.given"; v: 1; queue: string; score: number }
  /** the user went on without answering the rating question */
  | { type: "rating.skipped"; v: 1; queue: string };

/** Where a handoff stands; null: the bot answers. */
export type HandoffState =
  | { status: "waiting"; queue: string; since: number; offer: "none" | "expired" | "drafting" }
  | { status: "held"; queue: string; since: number; agent: Author }
  | { status: "unavailable"; queue: string; since: number };

export interface HandoffFold {
  handoff: HandoffState | null;
  /** the queue whose agent asked for a rating, while the answer is awaited */
  ratingFor: string | null;
}

/** The reducer's handoff part: total over {@link HandoffEvent}. */
export function foldHandoff(fold: HandoffFold, event: HandoffEvent, at: number): HandoffFold {
  const current = fold.handoff;
  switch (event.type) {
    case "handoff.queued":
      return { ...fold, handoff: { status: "waiting", queue: event.queue, since: current?.status === "waiting" ? current.since : at, offer: "none" } };
    case "handoff.unavailable":
      return { ...fold, handoff: { status: "unavailable", queue: event.queue, since: at } };
    case "handoff.wait_expired":
    case "handoff.drafting":
      if (current?.status !== "waiting") return fold;
      return { ...fold, handoff: { ...current, offer: event.type === "handoff.drafting" ? "drafting" : "expired" } };
    case "handoff.ticket":
    case "handoff.cancelled":
      return { ...fold, handoff: null };
    case "agent.joined":
      return { ...fold, handoff: { status: "held", queue: event.queue, since: at, agent: event.agent } };
    case "agent.left":
      if (event.resolution === "transferred" && event.toQueue)
        return { ...fold, handoff: { status: "waiting", queue: event.toQueue, since: at, offer: "none" } };
      return { ...fold, handoff: null };
    case "rating.asked":
      return { ...fold, ratingFor: event.queue };
    case "rating.given":
    case "rating.skipped":
      return { ...fold, ratingFor: null };
    case "message.agent":
    case "message.system":
      return fold;
    default:
      return event satisfies never;
  }
}
