/**
 * The contract between the dialog engine (pure, `src/dialog/`) and its callers
 * (`src/conversation/turn.ts`, the Conversation actor, the registry).
 *
 * The engine never does I/O: it returns events to append and, when a flow reaches
 * a `call` step, an {@link ActionRequest} that the actor fulfils and feeds back
 * as an `action-result` input.
 */

import type { DroppedCommand, LlmCommand } from "./llm/commands.js";

/** A JSON value, as stored in events and sent to webhooks. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export type SlotScalar = string | number;

export interface SlotValue {
  value: SlotScalar;
  /** epoch ms when it was set */
  at: number;
  /** the session id it was set in */
  session: number;
  sensitive?: boolean;
}

export interface FlowFrame {
  flow: string;
  /** bot version the flow started on: it finishes there */
  botVersion: string;
  /** index of the current step */
  step: number;
  /** reprompts used on the current `ask` step */
  attempts: number;
  /** epoch ms the flow started: a `fresh` ask only trusts values set since then */
  startedAt?: number;
  /** what the flow waits for: the user's answer to an ask, or an action's result */
  waiting?: FlowWait;
}

export type FlowWait = { kind: "ask"; slot: string } | { kind: "call"; callId: string; action: string };

export interface DialogState {
  slots: Record<string, SlotValue>;
  /** flow stack, top = last element */
  flows: FlowFrame[];
  session: { id: number; startedAt: number; lastAt: number };
  /** engine-owned bookkeeping (e.g. the last mentioned value per slot, lottery draws) */
  memory: Record<string, Json>;
}

export interface Reply {
  text: string;
  quickReplies?: string[];
}

/**
 * `commands`: the same message again, with the commands a language model proposed for it
 * (already validated by `validateCommands`; the engine checks them again). `proposed` and
 * `dropped` are what the model said and what validation refused, for the `llm.commands` event.
 */
export type DialogInput =
  | { kind: "text"; text: string; at: number }
  | { kind: "action-result"; callId: string; ok: boolean; result?: Json; error?: string; at: number }
  | { kind: "commands"; text: string; commands: LlmCommand[]; proposed: number; dropped: DroppedCommand[]; at: number };

export interface ActionRequest {
  callId: string;
  name: string;
  kind: "builtin" | "webhook";
  url?: string;
  args: Record<string, Json>;
}

/** Every event the engine emits carries `type` and a schema version `v`. */
export interface DialogEventBase {
  type: `${string}.${string}`;
  v: 1;
}
