import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ActionRequest, CompiledBot, DialogEvent, DialogState, Json, Reply } from "../../../src/dialog/index.js";
import { applyDialogEvent, compileBot, initialDialogState, step, validateBotDefinition } from "../../../src/dialog/index.js";
import { offlineAction } from "../../support/offline-actions.js";

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = join(here, "../../..");

const cache = new Map<string, CompiledBot>();

/** "shop" → bots/shop.json; anything with a slash is relative to this folder. */
export function loadBot(ref: string): CompiledBot {
  const cached = cache.get(ref);
  if (cached) return cached;
  const path = ref.includes("/") ? join(here, ref) : join(repoRoot, "bots", `${ref}.json`);
  const validated = validateBotDefinition(JSON.parse(readFileSync(path, "utf8")) as unknown);
  if (!validated.ok) throw new Error(`${ref}: ${validated.path}: ${validated.message}`);
  const bot = compileBot(validated.bot);
  cache.set(ref, bot);
  return bot;
}

export type ActionOverride = { ok: true; result: Json } | { ok: false; error: string };

export interface TurnOutput {
  reply: Reply;
  events: DialogEvent[];
  actions: ActionRequest[];
  state: DialogState;
}

/**
 * What the actor does for one user message, minus storage: step, fold, run the requested
 * actions (built-ins, or a scripted outcome standing in for a webhook), step again.
 */
export function converse(state: DialogState, bot: CompiledBot, text: string, at: number, overrides: Record<string, ActionOverride> = {}): TurnOutput {
  const events: DialogEvent[] = [];
  const actions: ActionRequest[] = [];
  const replies: Reply[] = [];
  let current = state;
  let result = step(current, { kind: "text", text, at }, bot);
  for (let guard = 0; guard < 8; guard++) {
    for (const event of result.events) current = applyDialogEvent(current, event);
    events.push(...result.events);
    if (result.reply) replies.push(result.reply);
    const action = result.action;
    if (!action) break;
    actions.push(action);
    const outcome = perform(action, overrides);
    result = step(current, { kind: "action-result", callId: action.callId, at, ...outcome }, bot);
  }
  const text_ = replies
    .map((r) => r.text)
    .filter((t) => t.length > 0)
    .join("\n");
  const quickReplies = replies.findLast((r) => r.quickReplies?.length)?.quickReplies;
  return { reply: { text: text_, ...(quickReplies ? { quickReplies } : {}) }, events, actions, state: current };
}

function perform(action: ActionRequest, overrides: Record<string, ActionOverride>): { ok: boolean; result?: Json; error?: string } {
  const override = overrides[action.name];
  if (override) return override;
  return action.kind === "builtin" ? offlineAction(action) : { ok: false, error: `no performer for ${action.kind} ${action.name}` };
}

export { initialDialogState };
