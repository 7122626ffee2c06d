import type { ResolvedBot } from "../../platform/bot-catalog.js";
import type { Env } from "../../platform/env.js";
import { appendEvents } from "../../src/conversation/append.js";
import type { StoredEvent } from "../../src/conversation/events.js";
import type { HandoffRoute } from "../../src/conversation/handoff-route.js";
import { routeOf } from "../../src/conversation/handoff-route.js";
import type { ConversationState } from "../../src/conversation/state.js";
import { runTurn } from "../../src/conversation/turn.js";
import type { CompiledBot } from "../../src/dialog/index.js";
import type { TurnResult } from "../../src/protocol/messages.js";
import { WEBHOOK_TIMEOUT_MS, performAction } from "./actions.js";
import type { TurnRequest } from "./conversation-actor.js";
import type { HandoffLink } from "./handoff-link.js";
import { performServiceAction } from "./service-actions.js";

/** What a turn needs of its conversation actor. */
export interface TurnHost {
  readonly env: Env;
  readonly userId: string;
  readonly handoff: HandoffLink;
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
    );
    const outcome = await host.handoff.afterDialog({ ...dialog, events: [...before.events, ...dialog.events] }, bot, input.at);
    const result: TurnResult = { seq: outcome.seq, reply: outcome.reply, duplicate: false, botVersion: bot.version };
    await host.commit(outcome, () => {
      if (key !== undefined) host.remember(key, result);
    });
    host.counted(bot, cohort, outcome.events);
    return result;
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
