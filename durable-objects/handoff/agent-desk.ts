import { logEvent } from "../../platform/log.js";
import type { AgentRef } from "../../src/handoff/types.js";
import type { AgentHistory, AgentNote, HeldEntry, NoteBody, ReplyAnswer, ReplyBody } from "../../src/protocol/agent.js";
import type { AgentClientFrame, AgentServerFrame } from "../../src/protocol/agent-frames.js";
import type { Refusal } from "../../src/protocol/errors.js";
import { isRefusal, refusal } from "../../src/protocol/errors.js";
import { botHandoffOf, queueKeyOf } from "./bot-handoff.js";
import { conversationAt } from "./conversation-calls.js";
import type { QueueBoard, QueueParts } from "./queue-board.js";
import type { Entry } from "./queue-store.js";
import { heldEntryOf } from "./views.js";

const UNREACHABLE = "the conversation did not answer; try again (a reply with the same messageId is never sent twice)";

/**
 * What agents do to entries, over REST and over their sockets alike. A claim is decided in one
 * synchronous step (a conditional UPDATE in a transaction, no await before it): however many
 * agents claim at once, one wins. What the conversation must hear goes through the outbox.
 */
export class AgentDesk {
  constructor(
    private readonly parts: QueueParts,
    private readonly board: QueueBoard,
  ) {}

  async claim(agent: AgentRef, entryId: string): Promise<{ entry: HeldEntry } | Refusal> {
    const { store, ctx } = this.parts;
    const entry = store.entry(entryId);
    if (!entry) return notFound(entryId);
    if (entry.state === "held" && entry.agent?.agentId === agent.agentId) return { entry: heldEntryOf(entry, store.notes(entryId)) };
    const at = Date.now();
    const won = ctx.storage.transactionSync(() => {
      if (!store.claim(entryId, agent, at)) return false;
      store.audit(at, agent.agentId, entryId, "claimed");
      store.outbox.add(entry.conversationId, { call: "agentJoined", agent }, at);
      return true;
    });
    if (!won)
      return refusal(
        "conflict",
        entry.state === "waiting" || entry.state === "held" ? "another agent claimed this conversation" : "this conversation left the queue",
      );
    this.parts.metrics.claimed(at - entry.waitStart);
    const held: Entry = { ...entry, state: "held", agent, claimedAt: at };
    this.board.pushGone(entryId);
    this.parts.sockets.broadcast({ type: "claimed", entryId, agent: { id: agent.agentId, name: agent.agentName } });
    this.board.pushHeld(agent.agentId);
    await this.board.settle(entry.conversationId);
    return { entry: heldEntryOf(held, store.notes(entryId)) };
  }

  /** Sends a reply once per messageId: a repeat answers the first send's seq. */
  async reply(agent: AgentRef, entryId: string, body: ReplyBody): Promise<ReplyAnswer | Refusal> {
    const entry = this.holding(agent, entryId);
    if (isRefusal(entry)) return entry;
    const { store } = this.parts;
    const known = store.reply(entryId, body.messageId);
    if (known !== null) return { entryId, messageId: body.messageId, seq: known, duplicate: true };
    if (!(await this.parts.calls.deliver(entry.conversationId))) return refusal("unavailable", UNREACHABLE);
    let sent: { seq: number; duplicate: boolean };
    try {
      sent = await conversationAt(this.parts.env, entry.conversationId).agentMessage(agent, { messageId: body.messageId, text: body.text });
    } catch (error) {
      logEvent("warn", "agent reply not delivered", { user: entry.user, error: String(error) });
      return refusal("unavailable", UNREACHABLE);
    }
    const first = this.parts.ctx.storage.transactionSync(() => {
      const fresh = store.putReply(entryId, body.messageId, sent.seq);
      if (fresh && !sent.duplicate) store.audit(Date.now(), agent.agentId, entryId, "replied");
      return fresh && !sent.duplicate;
    });
    return { entryId, messageId: body.messageId, seq: sent.seq, duplicate: !first };
  }

  async typing(agent: AgentRef, entryId: string): Promise<null | Refusal> {
    const entry = this.holding(agent, entryId);
    if (isRefusal(entry)) return entry;
    // A lost typing indicator is harmless: no retry, no error for the agent.
    await conversationAt(this.parts.env, entry.conversationId)
      .agentTyping(agent)
      .catch(() => undefined);
    return null;
  }

  note(agent: AgentRef, entryId: string, body: NoteBody): { note: AgentNote } | Refusal {
    const entry = this.holding(agent, entryId);
    if (isRefusal(entry)) return entry;
    const { store, ctx } = this.parts;
    const note: AgentNote = { noteId: body.noteId, at: Date.now(), author: { id: agent.agentId, name: agent.agentName }, text: body.text };
    const fresh = ctx.storage.transactionSync(() => {
      const added = store.putNote(entryId, note);
      if (added) store.audit(note.at, agent.agentId, entryId, "noted");
      return added;
    });
    const stored = store.notes(entryId).find((known) => known.noteId === body.noteId) ?? note;
    if (fresh) {
      this.parts.sockets.toAgent(agent.agentId, { type: "noted", entryId, note: stored });
      this.board.pushHeld(agent.agentId);
    }
    return { note: stored };
  }

  /** Moves the conversation to another queue of the bot: it keeps its wait start there; this agent lets go. */
  async transfer(agent: AgentRef, entryId: string, toQueue: string): Promise<{ entryId: string; toQueue: string } | Refusal> {
    const entry = this.holding(agent, entryId);
    if (isRefusal(entry)) return entry;
    const { bot, queue, env, store, ctx } = this.parts;
    if (toQueue === queue) return refusal("invalid_request", `toQueue: the conversation is already in "${queue}"`);
    const handoff = await botHandoffOf(env, bot, this.parts.catalog);
    if (!handoff?.handoff.queues.includes(toQueue)) return refusal("invalid_request", `toQueue: bot "${bot}" has no queue "${toQueue}"`);
    const target = env.HANDOFF.getByName(queueKeyOf(bot, toQueue));
    const request = { conversationId: entry.conversationId, user: entry.user, bot, queue: toQueue, summary: entry.summary };
    try {
      await target.enqueue({ ...request, maxWaitSeconds: entry.maxWaitSeconds, at: entry.waitStart, transferredFrom: queue });
    } catch (error) {
      logEvent("warn", "handoff transfer failed", { user: entry.user, toQueue, error: String(error) });
      return refusal("unavailable", `queue "${toQueue}" did not answer; nothing changed, try again`);
    }
    const at = Date.now();
    const moved = ctx.storage.transactionSync(() => {
      if (store.entry(entryId)?.state !== "held") return false;
      store.finish(entryId, "transferred", `transferred:${toQueue}`, at, false);
      store.audit(at, agent.agentId, entryId, "transferred", toQueue);
      store.outbox.add(entry.conversationId, { call: "agentLeft", agent, handBack: { resolution: "transferred", toQueue } }, at);
      return true;
    });
    if (!moved) {
      // The user cancelled while the other queue took it: take it back out of there.
      await target.cancel(entry.conversationId, "user_cancelled").catch(() => undefined);
      return refusal("conflict", "this conversation left the queue");
    }
    this.parts.metrics.handled("transferred");
    this.board.pushReleased(agent.agentId, entryId, "transferred");
    await this.board.settle(entry.conversationId);
    return { entryId, toQueue };
  }

  /** Hands the conversation back to the bot, resolved. */
  async end(agent: AgentRef, entryId: string): Promise<{ entryId: string; resolution: "resolved" } | Refusal> {
    const entry = this.holding(agent, entryId);
    if (isRefusal(entry)) return entry;
    const { store, ctx } = this.parts;
    const at = Date.now();
    ctx.storage.transactionSync(() => {
      store.finish(entryId, "resolved", "resolved", at, false);
      store.audit(at, agent.agentId, entryId, "ended");
      store.outbox.add(entry.conversationId, { call: "agentLeft", agent, handBack: { resolution: "resolved" } }, at);
    });
    this.parts.metrics.handled("resolved");
    this.board.pushReleased(agent.agentId, entryId, "resolved");
    await this.board.settle(entry.conversationId);
    return { entryId, resolution: "resolved" };
  }

  /** The whole conversation, masked: only for the agent holding it. */
  async history(agent: AgentRef, entryId: string): Promise<AgentHistory | Refusal> {
    const entry = this.holding(agent, entryId);
    if (isRefusal(entry)) return entry;
    try {
      const messages = await conversationAt(this.parts.env, entry.conversationId).agentHistory();
      return { entryId, messages, notes: this.parts.store.notes(entryId) };
    } catch (error) {
      logEvent("warn", "agent history not read", { user: entry.user, error: String(error) });
      return refusal("unavailable", "the conversation did not answer; try again");
    }
  }

  /** An agent's socket frame, acted on: the answer for that socket, if any (others hear through pushes). */
  async onFrame(agent: AgentRef, frame: Exclude<AgentClientFrame, { type: "ping" | "presence" }>): Promise<AgentServerFrame | null> {
    const { entryId } = frame;
    switch (frame.type) {
      case "claim":
        return errorFrame(await this.claim(agent, entryId), entryId);
      case "reply": {
        const answer = await this.reply(agent, entryId, frame);
        if (isRefusal(answer)) return { ...refusedFrame(answer, entryId), messageId: frame.messageId };
        return { type: "sent", ...answer };
      }
      case "typing":
        return errorFrame(await this.typing(agent, entryId), entryId);
      case "note":
        return errorFrame(this.note(agent, entryId, frame), entryId);
      case "transfer":
        return errorFrame(await this.transfer(agent, entryId, frame.toQueue), entryId);
      case "end":
        return errorFrame(await this.end(agent, entryId), entryId);
    }
  }

  /** The entry, if this agent holds it: 404 unknown, 403 anyone else's (or not claimed). */
  private holding(agent: AgentRef, entryId: string): Entry | Refusal {
    const entry = this.parts.store.entry(entryId);
    if (!entry) return notFound(entryId);
    if (entry.state !== "held" || entry.agent?.agentId !== agent.agentId) return refusal("forbidden", "you do not hold this conversation");
    return entry;
  }
}

function notFound(entryId: string): Refusal {
  return refusal("not_found", `no entry "${entryId}" in this queue`);
}

function refusedFrame({ refused }: Refusal, entryId: string): AgentServerFrame & { type: "error" } {
  return { type: "error", code: refused.code, message: refused.message, entryId };
}

function errorFrame(answer: unknown, entryId: string): AgentServerFrame | null {
  return isRefusal(answer) ? refusedFrame(answer, entryId) : null;
}
