import type { Env } from "../../platform/env.js";
import { logEvent } from "../../platform/log.js";
import { userPseudonym } from "../../platform/pseudonym.js";
import type { Outcome } from "../../src/conversation/append.js";
import { appendEvents, extendOutcome } from "../../src/conversation/append.js";
import type { ConversationEvent, StoredEvent } from "../../src/conversation/events.js";
import type { Author } from "../../src/conversation/handoff-events.js";
import type { HandoffRoute, HandoffText } from "../../src/conversation/handoff-route.js";
import { describeOfficeHours, handoffText, waitPhrase } from "../../src/conversation/handoff-route.js";
import { messageViewOf } from "../../src/conversation/message-view.js";
import { maskSpans, sensitiveSpans } from "../../src/conversation/redaction.js";
import type { ConversationState } from "../../src/conversation/state.js";
import { redactSlots } from "../../src/conversation/view.js";
import type { CompiledBot } from "../../src/dialog/index.js";
import { replyLanguage } from "../../src/dialog/reducer.js";
import { isWithinOfficeHours } from "../../src/handoff/office-hours.js";
import { SUMMARY_MESSAGES } from "../../src/handoff/summary.js";
import type { AgentRef, AgentVisibleMessage, HandBack, HandoffSummary } from "../../src/handoff/types.js";
import type { TurnResult } from "../../src/protocol/messages.js";
import { queueKeyOf } from "../handoff/bot-handoff.js";

/** What the handoff link needs of its conversation actor. */
export interface HandoffHost {
  readonly env: Env;
  /** the actor's object id (opaque): what a queue holds to call it back */
  readonly conversationId: string;
  readonly userId: string;
  state(): ConversationState;
  bot(): Promise<CompiledBot>;
  commit(change: { events: readonly StoredEvent[]; state: ConversationState }, alsoWrite: () => void): Promise<void>;
  dedupe(key: string): TurnResult | null;
  remember(key: string, result: TurnResult): void;
  typing(author: Author): void;
  /** the last `limit` messages, masked as history shows them */
  lastMessages(limit: number): AgentVisibleMessage[];
}

const author = (agent: AgentRef): Author => ({ id: agent.agentId, name: agent.agentName });

/**
 * The conversation's side of a human handoff: it queues itself when the dialog asks for a human,
 * routes the user's messages to the agent while one waits or holds it, and writes what agents do
 * (joined, messages, left) into the log, live on the user's sockets. Queues: durable-objects/handoff.
 */
export class HandoffLink {
  constructor(private readonly host: HandoffHost) {}

  /** After a dialog turn that asked for a human: in line, or — nobody there — an offer to leave a message. */
  async afterDialog(outcome: Outcome, bot: CompiledBot, at: number): Promise<Outcome> {
    const asked = outcome.events.find((stored) => stored.event.type === "handoff.requested")?.event;
    if (asked?.type !== "handoff.requested") return outcome;
    const def = bot.definition.handoff;
    const queue = asked.queue ?? def.queues[0] ?? "general";
    const lang = replyLanguage(outcome.state.dialog, bot.definition.defaultLanguage);
    const line = this.queueOf(bot, queue);
    if (!isWithinOfficeHours(def.officeHours, at)) return extendOutcome(outcome, at, this.unavailable(bot, queue, "closed", lang));
    if ((await line.agentsOnline()) === 0) return extendOutcome(outcome, at, this.unavailable(bot, queue, "nobody_online", lang));
    const summary = this.summaryOf(outcome.state, asked.flow, asked.reason, lang, outcome.events);
    const place = await line.enqueue({
      conversationId: this.host.conversationId,
      user: await userPseudonym(this.host.env, this.host.userId),
      bot: bot.id,
      queue,
      summary,
      maxWaitSeconds: def.maxWaitSeconds,
      at,
    });
    const text = handoffText(def, "queued", lang, { position: String(Math.max(1, place.position)), wait: waitPhrase(place.etaSeconds, lang) });
    return extendOutcome(outcome, at, [
      { type: "handoff.queued", v: 1, queue, position: place.position, etaSeconds: place.etaSeconds },
      { type: "message.bot", v: 1, text, botVersion: bot.version },
    ]);
  }

  /**
   * A user message while a handoff is on (or a rating awaited): stored masked, and passed to the
   * agent, or one of the answers the bot still takes (back, leave a message, keep waiting, a score).
   * The queue hears of a cancel or a ticket before the turn commits (a failure fails the turn,
   * which can be retried); a forwarded message after, from the stored, masked text.
   */
  async routed(
    route: Exclude<HandoffRoute, { kind: "dialog" }>,
    text: string,
    clientMessageId: string | undefined,
    bot: CompiledBot,
    at: number,
  ): Promise<{ outcome: Outcome; forward: AgentVisibleMessage | null }> {
    const state = this.host.state();
    const spans = sensitiveSpans(text, bot.sensitive.find(text), []);
    const user: ConversationEvent = {
      type: "message.user",
      v: 1,
      text,
      ...(clientMessageId ? { clientMessageId } : {}),
      ...(spans.length > 0 ? { sensitiveSpans: spans } : {}),
    };
    const base = appendEvents(state, at, [user]);
    const start: Outcome = { ...base, reply: { text: "" }, seq: base.state.seq };
    const lang = replyLanguage(state.dialog, bot.definition.defaultLanguage);
    const say = (which: HandoffText, quickReplies?: string[]): ConversationEvent => ({
      type: "message.bot",
      v: 1,
      text: handoffText(bot.definition.handoff, which, lang),
      botVersion: bot.version,
      ...(quickReplies ? { quickReplies } : {}),
    });
    const queue = state.handoff?.queue ?? state.ratingFor ?? bot.definition.handoff.queues[0] ?? "general";
    const line = this.queueOf(bot, queue);
    switch (route.kind) {
      case "forward":
        return { outcome: start, forward: { seq: base.state.seq, at, role: "user", text: maskSpans(text, spans) } };
      case "cancel":
        await line.cancel(this.host.conversationId, "user_cancelled");
        return { outcome: extendOutcome(start, at, [{ type: "handoff.cancelled", v: 1, queue }, say("cancelled")]), forward: null };
      case "draft":
        return { outcome: extendOutcome(start, at, [{ type: "handoff.drafting", v: 1, queue }, say("draftPrompt")]), forward: null };
      case "keep_waiting":
        return { outcome: extendOutcome(start, at, [say("keptWaiting")]), forward: null };
      case "ticket": {
        const summary = this.summaryOf(base.state, null, "ticket", lang, base.events);
        const { ticketId } = await line.leaveTicket({
          conversationId: this.host.conversationId,
          user: await userPseudonym(this.host.env, this.host.userId),
          text: maskSpans(text, spans),
          summary,
          at,
        });
        if (state.handoff?.status === "waiting") await line.cancel(this.host.conversationId, "ticket");
        return { outcome: extendOutcome(start, at, [{ type: "handoff.ticket", v: 1, queue, ticketId }, say("ticketTaken")]), forward: null };
      }
      case "rating":
        await line.rated(this.host.conversationId, route.score);
        return { outcome: extendOutcome(start, at, [{ type: "rating.given", v: 1, queue, score: route.score }, say("ratingThanks")]), forward: null };
      default:
        return route satisfies never;
    }
  }

  /** Hands a forwarded message to the queue; a failure is logged (the agent still sees it in the history). */
  forward(bot: CompiledBot, queue: string, message: AgentVisibleMessage): void {
    this.queueOf(bot, queue)
      .userMessage(this.host.conversationId, message)
      .catch((error: unknown) => logEvent("warn", "handoff: a user message did not reach the queue", { queue, error: String(error) }));
  }

  // ── called by the queue ────────────────────────────────────────────────────

  async joined(agent: AgentRef): Promise<void> {
    const state = this.host.state();
    if (state.handoff?.status === "held" && state.handoff.agent.id === agent.agentId) return;
    const bot = await this.host.bot();
    const queue = state.handoff?.queue ?? "general";
    await this.append([
      { type: "agent.joined", v: 1, queue, agent: author(agent) },
      { type: "message.system", v: 1, text: this.text(bot, "joined", { agent: agent.agentName }), author: author(agent) },
    ]);
  }

  async message(agent: AgentRef, message: { messageId: string; text: string }): Promise<{ seq: number; duplicate: boolean }> {
    const key = `agent:${message.messageId}`;
    const known = this.host.dedupe(key);
    if (known) return { seq: known.seq, duplicate: true };
    const bot = await this.host.bot();
    const seq = await this.append([{ type: "message.agent", v: 1, text: message.text, author: author(agent), messageId: message.messageId }], (seqNow) =>
      this.host.remember(key, { seq: seqNow, reply: { text: "" }, duplicate: false, botVersion: bot.version }),
    );
    return { seq, duplicate: false };
  }

  async left(agent: AgentRef, handBack: HandBack): Promise<void> {
    const state = this.host.state();
    if (state.handoff?.status !== "held" || state.handoff.agent.id !== agent.agentId) return;
    const bot = await this.host.bot();
    const queue = state.handoff.queue;
    const events: ConversationEvent[] = [
      {
        type: "agent.left",
        v: 1,
        agent: author(agent),
        resolution: handBack.resolution,
        ...(handBack.resolution === "transferred" ? { toQueue: handBack.toQueue } : {}),
      },
    ];
    if (handBack.resolution === "transferred") {
      events.push({
        type: "message.system",
        v: 1,
        text: this.text(bot, "transferred", { agent: agent.agentName, queue: handBack.toQueue }),
        author: author(agent),
      });
    } else {
      events.push({ type: "message.system", v: 1, text: this.text(bot, "left", { agent: agent.agentName }), author: author(agent) });
      events.push({ type: "message.bot", v: 1, text: this.text(bot, "resumed"), botVersion: bot.version });
      if (bot.definition.handoff.satisfaction) {
        events.push({ type: "rating.asked", v: 1, queue });
        events.push({ type: "message.bot", v: 1, text: this.text(bot, "ratingAsk"), botVersion: bot.version, quickReplies: ["1", "2", "3", "4", "5"] });
      }
    }
    await this.append(events);
  }

  async waitExpired(queue: string): Promise<void> {
    const state = this.host.state();
    if (state.handoff?.status !== "waiting" || state.handoff.queue !== queue || state.handoff.offer !== "none") return;
    const bot = await this.host.bot();
    const lang = this.lang(bot);
    const quickReplies = lang === "zh" ? ["留言", "继续等", "返回"] : ["Leave a message", "Keep waiting", "Back"];
    await this.append([
      { type: "handoff.wait_expired", v: 1, queue },
      { type: "message.bot", v: 1, text: this.text(bot, "waitExpired"), botVersion: bot.version, quickReplies },
    ]);
  }

  typing(agent: AgentRef): void {
    if (this.host.state().handoff?.status === "held") this.host.typing(author(agent));
  }

  /** The conversation as its agent reads it: every message, masked. */
  history(): AgentVisibleMessage[] {
    return this.host.lastMessages(Number.POSITIVE_INFINITY);
  }

  /** Erasing the conversation takes it out of any line, and scrubs what the queue kept of it. */
  async erased(bot: CompiledBot): Promise<void> {
    const queue = this.host.state().handoff?.queue;
    if (queue) await this.queueOf(bot, queue).cancel(this.host.conversationId, "erased");
  }

  // ── helpers ────────────────────────────────────────────────────────────────

  private queueOf(bot: CompiledBot, queue: string) {
    return this.host.env.HANDOFF.getByName(queueKeyOf(bot.id, queue));
  }

  private unavailable(bot: CompiledBot, queue: string, reason: "closed" | "nobody_online", lang: "en" | "zh"): ConversationEvent[] {
    const hours = reason === "closed" && bot.definition.handoff.officeHours ? `: ${describeOfficeHours(bot.definition.handoff.officeHours, lang)}` : "";
    return [
      { type: "handoff.unavailable", v: 1, queue, reason },
      { type: "message.bot", v: 1, text: handoffText(bot.definition.handoff, "noAgents", lang, { hours }), botVersion: bot.version },
    ];
  }

  /** What the line shows: the flow, the reason, masked slots, and the last messages — this turn's (not stored yet) included, masked. */
  private summaryOf(state: ConversationState, flow: string | null, reason: string, lang: "en" | "zh", pending: readonly StoredEvent[] = []): HandoffSummary {
    const fresh = pending.flatMap((stored) => {
      const { event } = stored;
      const masked =
        event.type === "message.user" && event.sensitiveSpans ? { ...stored, event: { ...event, text: maskSpans(event.text, event.sensitiveSpans) } } : stored;
      const view = messageViewOf(masked);
      return view ? [{ seq: view.seq, at: view.at, role: view.role, text: view.text, ...(view.author ? { author: view.author } : {}) }] : [];
    });
    const lastMessages = [...this.host.lastMessages(SUMMARY_MESSAGES), ...fresh].slice(-SUMMARY_MESSAGES);
    return { intent: flow, reason, language: lang, slots: redactSlots(state.dialog.slots), lastMessages };
  }

  private lang(bot: CompiledBot): "en" | "zh" {
    return replyLanguage(this.host.state().dialog, bot.definition.defaultLanguage);
  }

  private text(bot: CompiledBot, which: HandoffText, values: Record<string, string> = {}): string {
    return handoffText(bot.definition.handoff, which, this.lang(bot), values);
  }

  /** Appends and commits events outside a turn (the actor's serial queue runs this); answers the last seq. */
  private async append(events: readonly ConversationEvent[], alsoWrite?: (seq: number) => void): Promise<number> {
    const change = appendEvents(this.host.state(), Date.now(), events);
    await this.host.commit(change, () => alsoWrite?.(change.state.seq));
    return change.state.seq;
  }
}
