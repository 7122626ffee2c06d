import type { ResolvedBot } from "../../platform/bot-catalog.js";
import type { Env } from "../../platform/env.js";
import type { Outcome } from "../../src/conversation/append.js";
import { appendEvents } from "../../src/conversation/append.js";
import type { StoredEvent } from "../../src/conversation/events.js";
import type { GenerationPlan } from "../../src/conversation/generating.js";
import { beginGeneration, finishGeneration } from "../../src/conversation/generating.js";
import type { GenerationRecord } from "../../src/conversation/generation-events.js";
import type { HandoffRoute } from "../../src/conversation/handoff-route.js";
import { routeOf } from "../../src/conversation/handoff-route.js";
import type { ConversationState } from "../../src/conversation/state.js";
import { runTurn } from "../../src/conversation/turn.js";
import type { CompiledBot, GenerationRequest } from "../../src/dialog/index.js";
import type { TurnResult } from "../../src/protocol/messages.js";
import { WEBHOOK_TIMEOUT_MS, performAction } from "./actions.js";
import type { TurnRequest } from "./conversation-actor.js";
import type { HandoffLink } from "./handoff-link.js";
import type { LiveReplies } from "./live-replies.js";
import { performServiceAction } from "./service-actions.js";
import type { TurnLlm, Written } from "./turn-llm.js";

/** What a turn needs of its conversation actor. */
export interface TurnHost {
  readonly env: Env;
  readonly userId: string;
  readonly handoff: HandoffLink;
  /** the LLM layer, when a model is configured */
  readonly llm: TurnLlm | null;
  readonly live: LiveReplies;
  state(): ConversationState;
  commit(change: { events: readonly StoredEvent[]; state: ConversationState }, alsoWrite: () => void): Promise<void>;
  remember(key: string, result: TurnResult): void;
  /** a committed dialog turn, for metrics and the version's outcome counters */
  counted(bot: CompiledBot, cohort: string, events: readonly StoredEvent[]): void;
}

/**
 * One user message in the actor, computed and committed: the dialog step with its actions (or,
 * while a human agent waits or holds the conversation, the message to the agent), then its events
 * and dedupe record in one transaction, then the fan-out.
 */
export class TurnRunner {
  constructor(private readonly host: TurnHost) {}

  async run(request: TurnRequest, { bot, cohort }: ResolvedBot): Promise<TurnResult> {
    const { host } = this;
    const key = request.clientMessageId;
    const state = host.state();
    const route = routeOf(state, request.text);
    if (route.kind !== "dialog") return this.routed(route, request, bot);
    const input = { text: request.text, at: Date.now(), ...(key === undefined ? {} : { clientMessageId: key }) };
    // Without a clientMessageId a turn is not retried as the same turn: its draws get a key of their own.
    const context = { userId: host.userId, turnKey: key ?? `once-${crypto.randomUUID()}` };
    // A message that does not answer the rating question (after an agent's hand-back) lets it go.
    const before = appendEvents(state, input.at, state.ratingFor === null ? [] : [{ type: "rating.skipped", v: 1, queue: state.ratingFor }]);
    const dialog = await runTurn(
      before.state,
      input,
      bot,
      async (action) => (await performServiceAction(action, host.env, context)) ?? performAction(action, host.env, WEBHOOK_TIMEOUT_MS, request.trace),
      host.llm?.understander(bot) ?? null,
    );
    const outcome = await host.handoff.afterDialog({ ...dialog, events: [...before.events, ...dialog.events] }, bot, input.at);
    const plan = dialog.generate && outcome.seq === dialog.seq ? (host.llm?.plan(bot, dialog.generate) ?? null) : null;
    if (plan && dialog.generate) return this.generated(request, { bot, cohort }, state, outcome, { request: dialog.generate, plan });
    const result: TurnResult = { seq: outcome.seq, reply: outcome.reply, duplicate: false, botVersion: bot.version };
    await host.commit(outcome, () => {
      if (key !== undefined) host.remember(key, result);
    });
    host.counted(bot, cohort, outcome.events);
    return result;
  }

  /**
   * A turn whose reply a model writes: the user's message and the dialog's events are committed
   * first (with the scripted reply pending), the reply streams to the user's sockets and stream
   * requests as it comes, then the bot's message commits with the dedupe record. Whatever
   * happens to the model, the scripted reply goes out instead; a restart meanwhile is finished
   * on the next load ({@link finishPending}).
   */
  private async generated(
    request: TurnRequest,
    { bot, cohort }: ResolvedBot,
    before: ConversationState,
    outcome: Outcome,
    generation: { request: GenerationRequest; plan: GenerationPlan },
  ): Promise<TurnResult> {
    const { host } = this;
    const key = request.clientMessageId;
    const head = beginGeneration(before, outcome, generation.plan, bot.version);
    await host.commit(head, () => undefined);
    const replyTo = head.state.pendingReply?.replyTo ?? head.state.seq;
    const live = host.live.open(request.streamKey ?? key ?? `turn-${replyTo}`, replyTo, key);
    let written: Written;
    try {
      written = host.llm ? await host.llm.write(bot, generation.request, generation.plan, live) : scriptedFor(generation.plan, "error");
    } catch {
      written = scriptedFor(generation.plan, "error");
    } finally {
      live.close();
    }
    const { result, events } = await this.settlePending(written.text, written.record);
    host.counted(bot, cohort, [...head.events, ...events]);
    return result;
  }

  /** A reply left pending by a restart (or a crash) mid-generation: the scripted reply goes out now, once. */
  async finishPending(): Promise<void> {
    const pending = this.host.state().pendingReply;
    if (pending) await this.settlePending(null, { outcome: "scripted", provider: pending.provider, model: pending.model, reason: "restart" });
  }

  /** The bot's message that settles the pending reply, committed with the dedupe record of the message it answers. */
  private async settlePending(text: string | null, record: GenerationRecord): Promise<{ result: TurnResult; events: readonly StoredEvent[] }> {
    const { host } = this;
    const pending = host.state().pendingReply;
    if (!pending) throw new Error("no reply is pending");
    const done = finishGeneration(host.state(), Date.now(), text, record);
    const result: TurnResult = { seq: done.seq, reply: done.reply, duplicate: false, botVersion: pending.botVersion };
    await host.commit(done, () => {
      if (pending.clientMessageId !== undefined) host.remember(pending.clientMessageId, result);
    });
    return { result, events: done.events };
  }

  /** A message that went to the human agents' side (or answered the rating): stored, then handed on. */
  private async routed(route: Exclude<HandoffRoute, { kind: "dialog" }>, request: TurnRequest, bot: CompiledBot): Promise<TurnResult> {
    const { host } = this;
    const key = request.clientMessageId;
    const before = host.state().handoff;
    const { outcome, forward } = await host.handoff.routed(route, request.text, key, bot, Date.now());
    const held = before?.status === "held" ? before : null;
    const handoff =
      forward && before ? { status: held ? ("held" as const) : ("waiting" as const), queue: before.queue, ...(held ? { agent: held.agent } : {}) } : undefined;
    const result: TurnResult = { seq: outcome.seq, reply: outcome.reply, duplicate: false, botVersion: bot.version, ...(handoff ? { handoff } : {}) };
    await host.commit(outcome, () => {
      if (key !== undefined) host.remember(key, result);
    });
    if (forward && before) host.handoff.forward(bot, before.queue, forward);
    return result;
  }
}

function scriptedFor(plan: GenerationPlan, reason: string): Written {
  return { text: null, record: { outcome: "scripted", provider: plan.provider, model: plan.model, reason } };
}
