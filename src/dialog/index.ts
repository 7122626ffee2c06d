// PLACEHOLDER written by the skeleton so the rest compiles; the dialog engine replaces this file.
import { z } from "zod";
import type { ActionRequest, DialogInput, DialogState, Reply } from "./types.js";
export type * from "./types.js";

export type DialogEvent = { type: "session.started"; v: 1; session: number; at: number };

export const botDefinitionSchema = z.object({ id: z.string(), version: z.string() }).passthrough();
export type BotDefinition = z.infer<typeof botDefinitionSchema>;

export interface CompiledBot {
  id: string;
  version: string;
  definition: BotDefinition;
}

export interface StepResult {
  events: DialogEvent[];
  reply: Reply | null;
  action?: ActionRequest;
}

export function compileBot(definition: BotDefinition): CompiledBot {
  return { id: definition.id, version: definition.version, definition };
}

export function initialDialogState(): DialogState {
  return { slots: {}, flows: [], session: { id: 0, startedAt: 0, lastAt: 0 }, memory: {} };
}

export function applyDialogEvent(state: DialogState, event: DialogEvent): DialogState {
  return { ...state, session: { id: event.session, startedAt: event.at, lastAt: event.at } };
}

export function step(_state: DialogState, input: DialogInput, _bot: CompiledBot): StepResult {
  return { events: [], reply: { text: input.kind === "text" ? `You said: ${input.text}` : "ok" } };
}
