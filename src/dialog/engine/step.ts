import type { CompiledBot } from "../compile.js";
import type { DialogInput, DialogState } from "../types.js";
import { respondToText } from "./respond.js";
import { advance, finishFlow, resultField, runFlows } from "./run.js";
import { setSlot } from "./slots.js";
import { Turn } from "./turn.js";
import type { StepResult } from "./turn.js";

const DEFAULT_ACTION_FAILED = {
  en: "Sorry, I couldn't complete that just now. Please try again in a moment.",
  zh: "抱歉，暂时没能完成这个操作，请稍后再试。",
};

/**
 * One dialog step, pure: no clock, no randomness, no I/O. The caller appends `events`,
 * folds them with `applyDialogEvent`, runs `action` if set and feeds its outcome back
 * as an `action-result` input, concatenating the replies of the chain.
 *
 * @example
 * const { events, reply } = step(state, { kind: "text", text: "do you have running shoes in 42?", at: Date.now() }, bot);
 */
export function step(state: DialogState, input: DialogInput, bot: CompiledBot): StepResult {
  const turn = new Turn(state, bot, input.at);
  if (input.kind === "text") {
    startSessionIfIdle(turn);
    respondToText(turn, input.text);
  } else {
    onActionResult(turn, input);
  }
  return turn.result();
}

/**
 * The first message of a conversation, or the first after `idleSeconds` of silence,
 * starts a session; a slot survives it if its carry-over, counted from when it was set,
 * has not run out.
 */
function startSessionIfIdle(turn: Turn): void {
  const { session, slots } = turn.state;
  if (session.id !== 0 && turn.at - session.lastAt <= turn.bot.idleMs) return;
  const kept = Object.entries(slots)
    .filter(([name, slot]) => turn.at - slot.at <= (turn.bot.carryOverMs[name] ?? -1))
    .map(([name]) => name);
  turn.emit({ type: "session.started", v: 1, session: session.id + 1, at: turn.at, kept });
}

function onActionResult(turn: Turn, input: Extract<DialogInput, { kind: "action-result" }>): void {
  const frame = turn.top();
  // A result nobody waits for (a replay, a late duplicate) changes nothing.
  if (frame?.waiting?.kind !== "call" || frame.waiting.callId !== input.callId) return;
  const { action } = frame.waiting;
  const current = turn.bot.definition.flows[frame.flow]?.steps[frame.step];
  const step = current?.type === "call" ? current : undefined;
  if (!input.ok) {
    turn.emit({ type: "action.failed", v: 1, at: turn.at, callId: input.callId, action, error: input.error ?? "failed" });
    turn.say(step?.onError ?? turn.bot.definition.messages.actionFailed ?? DEFAULT_ACTION_FAILED);
    finishFlow(turn, frame.flow, "error");
    return runFlows(turn);
  }
  const result = input.result ?? null;
  turn.emit({ type: "action.completed", v: 1, at: turn.at, callId: input.callId, action, result });
  for (const [slot, path] of Object.entries(step?.assign ?? {})) {
    const value = resultField(result, path);
    if (value !== null) setSlot(turn, slot, value, "action");
    else if (slot in turn.state.slots) turn.emit({ type: "slot.cleared", v: 1, at: turn.at, name: slot });
  }
  advance(turn, frame, frame.step + 1);
  runFlows(turn);
}
