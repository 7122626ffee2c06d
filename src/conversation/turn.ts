import type { ActionRequest, CompiledBot, DialogInput, DialogState, GenerationRequest, Json, Reply, StepResult } from "../dialog/index.js";
import { step } from "../dialog/index.js";
import type { ConversationEvent, StoredEvent } from "./events.js";
import { sensitiveSpans } from "./redaction.js";
import type { ConversationState } from "./state.js";
import { applyEvent } from "./state.js";

export interface ActionOutcome {
  ok: boolean;
  result?: Json;
  error?: string;
}

/** Runs a `call` step's action: built-ins in memory, webhooks over HTTP — the caller's I/O. */
export type ActionPerformer = (request: ActionRequest) => Promise<ActionOutcome>;

export interface TurnInput {
  text: string;
  clientMessageId?: string;
  at: number;
}

/**
 * Asked after the rules' step, before anything is appended: a commands input to step with
 * instead (the LLM's proposal, validated), or null to keep the rules' step. The LLM layer's.
 */
export type Understander = (text: string, dialog: DialogState, rules: StepResult, at: number) => Promise<DialogInput | null>;

export interface TurnOutcome {
  events: StoredEvent[];
  state: ConversationState;
  reply: Reply;
  /** seq of the bot's reply */
  seq: number;
  /** a part of the reply a model may write instead (a knowledge answer, the fallback) */
  generate?: GenerationRequest;
}

/** A flow that calls action after action is a definition bug; stop before it spins. */
const MAX_ACTIONS_PER_TURN = 8;

/**
 * One text turn, computed without touching storage: the user's message, the dialog
 * engine's steps (with any actions it asks for), and the bot's reply, as events with
 * their seqs and the state folded over them. The caller commits `events` atomically.
 */
export async function runTurn(
  state: ConversationState,
  input: TurnInput,
  bot: CompiledBot,
  perform: ActionPerformer,
  understand: Understander | null = null,
): Promise<TurnOutcome> {
  const log = new TurnLog(state, input.at);
  log.append({ type: "message.user", v: 1, text: input.text, ...optional("clientMessageId", input.clientMessageId) });
  const replies: Reply[] = [];
  let result = log.apply(await firstStep(log.state.dialog, input, bot, understand));
  let generate = result.generate;
  for (let actions = 0; ; actions++) {
    if (result.reply) replies.push(result.reply);
    if (!result.action || actions >= MAX_ACTIONS_PER_TURN) break;
    const outcome = await perform(result.action);
    result = log.step({ kind: "action-result", callId: result.action.callId, at: input.at, ...outcome }, bot);
    generate = result.generate ?? generate;
  }
  log.markSensitive(input.text, bot);
  const reply = combineReplies(replies);
  log.append({ type: "message.bot", v: 1, text: reply.text, botVersion: bot.version, ...optional("quickReplies", reply.quickReplies) });
  return { events: log.events, state: log.state, reply, seq: log.state.seq, ...optional("generate", generate) };
}

/** The rules' step on the message — or, when the understander proposes commands instead, the step on those. */
async function firstStep(dialog: DialogState, input: TurnInput, bot: CompiledBot, understand: Understander | null): Promise<StepResult> {
  const rules = step(dialog, { kind: "text", text: input.text, at: input.at }, bot);
  const commands = understand ? await understand(input.text, dialog, rules, input.at) : null;
  return commands ? step(dialog, commands, bot) : rules;
}

/** Events appended so far in this turn, and the state folded over them. */
class TurnLog {
  readonly events: StoredEvent[] = [];
  constructor(
    public state: ConversationState,
    private readonly at: number,
  ) {}

  append(event: ConversationEvent): void {
    const stored: StoredEvent = { seq: this.state.seq + 1, at: this.at, event };
    this.events.push(stored);
    this.state = applyEvent(this.state, stored);
  }

  /**
   * Flags where the user's message holds sensitive values, for sealing at rest: whatever the
   * bot's recognizers find in it, asked for or not, and the values it gave to sensitive slots.
   */
  markSensitive(text: string, bot: CompiledBot): void {
    const first = this.events[0];
    if (first?.event.type !== "message.user") return;
    const given = this.events.flatMap(({ event }) => (event.type === "slot.set" && event.sensitive && event.source === "user" ? [String(event.value)] : []));
    const spans = sensitiveSpans(text, bot.sensitive.find(text), given);
    if (spans.length > 0) this.events[0] = { ...first, event: { ...first.event, sensitiveSpans: spans } };
  }

  step(input: DialogInput, bot: CompiledBot): StepResult {
    return this.apply(step(this.state.dialog, input, bot));
  }

  /** Appends a step computed on this log's current state. */
  apply(result: StepResult): StepResult {
    for (const event of result.events) this.append(event);
    return result;
  }
}

function combineReplies(replies: Reply[]): Reply {
  const text = replies
    .map((reply) => reply.text)
    .filter((part) => part.length > 0)
    .join("\n");
  const quickReplies = replies.findLast((reply) => reply.quickReplies?.length)?.quickReplies;
  return { text: text || "…", ...optional("quickReplies", quickReplies) };
}

/** `{ key: value }` when value is defined, `{}` otherwise (keeps `undefined` out of stored JSON). */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
