import type { DialogEvent } from "./events.js";
import type { DialogState, FlowFrame } from "./types.js";

/** The state of a conversation that has never spoken: session 0, so its first message starts session 1. */
export function initialDialogState(): DialogState {
  return { slots: {}, flows: [], session: { id: 0, startedAt: 0, lastAt: 0 }, memory: {} };
}

/** The flow the user is in (top of the stack), if any. */
export function activeFlow(state: DialogState): string | null {
  return state.flows.at(-1)?.flow ?? null;
}

/**
 * The reducer: pure and total over {@link DialogEvent}. It never mutates `state`; it copies
 * only the branch it changes (callers fold thousands of events, so no deep copies).
 */
export function applyDialogEvent(state: DialogState, e: DialogEvent): DialogState {
  switch (e.type) {
    case "session.started":
      return startSession(state, e.session, e.at, e.kept);
    case "nlu.parsed":
      return {
        ...state,
        session: { ...state.session, lastAt: e.at },
        memory: countTurn(e.lang === null || state.memory.lang === e.lang ? state.memory : { ...state.memory, lang: e.lang }),
      };
    case "slot.set":
      return {
        ...state,
        slots: { ...state.slots, [e.name]: { value: e.value, at: e.at, session: state.session.id, ...(e.sensitive ? { sensitive: true } : {}) } },
      };
    case "slot.cleared": {
      if (!(e.name in state.slots)) return state;
      const { [e.name]: _cleared, ...slots } = state.slots;
      return { ...state, slots };
    }
    case "flow.started":
      return { ...state, flows: [...state.flows, { flow: e.flow, botVersion: e.botVersion, step: 0, attempts: 0, startedAt: e.at }] };
    case "flow.advanced":
      return updateTop(state, e.flow, (top) => ({ flow: top.flow, botVersion: top.botVersion, step: e.step, attempts: 0, ...startedAt(top) }));
    case "ask.prompted":
      return updateTop(state, e.flow, (top) => ({ ...top, attempts: 0, waiting: { kind: "ask", slot: e.slot } }));
    case "ask.reprompted":
      return updateTop(state, e.flow, (top) => ({ ...top, attempts: e.attempt, waiting: { kind: "ask", slot: e.slot } }));
    case "action.requested":
      return {
        ...updateTop(state, e.flow, (top) => ({ ...top, waiting: { kind: "call", callId: e.callId, action: e.action } })),
        memory: { ...state.memory, calls: callCount(state) + 1 },
      };
    case "action.completed":
    case "action.failed":
      return clearCallWait(state, e.callId);
    case "flow.ended":
      return endFlow(state, e.flow);
    case "handoff.requested":
      return { ...state, memory: { ...state.memory, handoffAt: e.at } };
    case "followup.armed":
      return { ...state, memory: { ...state.memory, followUp: { flow: e.flow, at: e.at, turns: 0 } } };
    case "followup.taken":
      return forgetFollowUp(state);
    case "flow.interrupted":
    case "flow.resumed":
    case "fallback.triggered":
    case "knowledge.answered":
    case "smalltalk.answered":
    case "slot.corrected":
    case "ask.preanswered":
    case "llm.commands":
      // Informational: the stack change is the `flow.started` / `flow.ended` next to them.
      return state;
    default:
      return e satisfies never;
  }
}

function startSession(state: DialogState, id: number, at: number, kept: readonly string[]): DialogState {
  const slots: DialogState["slots"] = {};
  for (const name of kept) {
    const slot = state.slots[name];
    if (slot) slots[name] = slot;
  }
  return { ...state, slots, flows: [], session: { id, startedAt: at, lastAt: at } };
}

/** The task a follow-up may resume, from `memory.followUp`: its flow, when it finished, messages since. */
export interface FollowUpMemory {
  flow: string;
  at: number;
  turns: number;
}

export function followUpMemory(state: DialogState): FollowUpMemory | null {
  const value = state.memory.followUp;
  if (value === null || typeof value !== "object" || Array.isArray(value)) return null;
  const { flow, at, turns } = value;
  return typeof flow === "string" && typeof at === "number" && typeof turns === "number" ? { flow, at, turns } : null;
}

/** Each message counts against a follow-up's window of turns (nothing to copy when none is open). */
function countTurn(memory: DialogState["memory"]): DialogState["memory"] {
  const open = memory.followUp;
  if (open === null || typeof open !== "object" || Array.isArray(open) || typeof open.turns !== "number") return memory;
  return { ...memory, followUp: { ...open, turns: open.turns + 1 } };
}

function forgetFollowUp(state: DialogState): DialogState {
  if (!("followUp" in state.memory)) return state;
  const { followUp: _taken, ...memory } = state.memory;
  return { ...state, memory };
}

function startedAt(frame: FlowFrame): Pick<FlowFrame, "startedAt"> {
  return frame.startedAt === undefined ? {} : { startedAt: frame.startedAt };
}

/** Applies `change` to the topmost frame of `flow` (normally the top of the stack). */
function updateTop(state: DialogState, flow: string, change: (frame: FlowFrame) => FlowFrame): DialogState {
  const index = state.flows.findLastIndex((frame) => frame.flow === flow);
  const frame = state.flows[index];
  if (!frame) return state;
  const flows = state.flows.slice();
  flows[index] = change(frame);
  return { ...state, flows };
}

function endFlow(state: DialogState, flow: string): DialogState {
  const index = state.flows.findLastIndex((frame) => frame.flow === flow);
  if (index === -1) return state;
  return { ...state, flows: state.flows.filter((_, i) => i !== index) };
}

function clearCallWait(state: DialogState, callId: string): DialogState {
  const index = state.flows.findLastIndex((frame) => frame.waiting?.kind === "call" && frame.waiting.callId === callId);
  const frame = state.flows[index];
  if (!frame) return state;
  const { waiting: _done, ...rest } = frame;
  const flows = state.flows.slice();
  flows[index] = rest;
  return { ...state, flows };
}

export function callCount(state: DialogState): number {
  const calls = state.memory.calls;
  return typeof calls === "number" ? calls : 0;
}

export function replyLanguage(state: DialogState, fallback: "en" | "zh"): "en" | "zh" {
  const lang = state.memory.lang;
  return lang === "en" || lang === "zh" ? lang : fallback;
}
