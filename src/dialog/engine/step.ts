import type { CompiledBot } from "../compile.js";
import type { DialogInput, DialogState } from "../types.js";
import { respondToCommands } from "./commands.js";
import { respondToText } from "./respond.js";
import { advance, finishFlow, resultField, runFlows } from "./run.js";
import { setSlot } from "./slots.js";
import type { StepResult } from "./step-draft.js";
import { StepDraft } from "./step-draft.js";

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
  const draft = new StepDraft(state, bot, input.at);
  if (input.kind === "text") {
    startSessionIfIdle(draft);
    respondToText(draft, input.text);
  } else if (input.kind === "commands") {
    startSessionIfIdle(draft);
    respondToCommands(draft, input);
  } else {
    onActionResult(draft, input);
  }
  return draft.result();
}

/**
 * The first message of a conversation, or the first after `idleSeconds` of silence,
 * starts a session; a slot survives it if its carry-over, counted from when it was set,
 * has not run out.
 */
function startSessionIfIdle(draft: StepDraft): void {
  const { session, slots } = draft.state;
  if (session.id !== 0 && draft.at - session.lastAt <= draft.bot.idleMs) return;
  const kept = Object.entries(slots)
    .filter(([name, slot]) => draft.at - slot.at <= (draft.bot.carryOverMs[name] ?? -1))
    .map(([name]) => name);
  draft.emit({ type: "session.started", v: 1, session: session.id + 1, at: draft.at, kept });
}

function onActionResult(draft: StepDraft, input: Extract<DialogInput, { kind: "action-result" }>): void {
  const frame = draft.top();
  // A result nobody waits for (a replay, a late duplicate) changes nothing.
  if (frame?.waiting?.kind !== "call" || frame.waiting.callId !== input.callId) return;
  const { action } = frame.waiting;
  const current = draft.bot.definition.flows[frame.flow]?.steps[frame.step];
  const step = current?.type === "call" ? current : undefined;
  if (!input.ok) {
    draft.emit({ type: "action.failed", v: 1, at: draft.at, callId: input.callId, action, error: input.error ?? "failed" });
    draft.say(step?.onError ?? draft.bot.definition.messages.actionFailed ?? DEFAULT_ACTION_FAILED);
    finishFlow(draft, frame.flow, "error");
    return runFlows(draft);
  }
  const result = input.result ?? null;
  draft.emit({ type: "action.completed", v: 1, at: draft.at, callId: input.callId, action, result });
  for (const [slot, path] of Object.entries(step?.assign ?? {})) {
    const value = resultField(result, path);
    if (value !== null) setSlot(draft, slot, value, "action");
    else if (slot in draft.state.slots) draft.emit({ type: "slot.cleared", v: 1, at: draft.at, name: slot });
  }
  advance(draft, frame, frame.step + 1);
  runFlows(draft);
}
