import type { CompiledBot } from "./compile.js";
import type { AsideMatch } from "./knowledge/knowledge.js";
import type { DialogState, SlotScalar } from "./types.js";

export interface ParseResult {
  /** null when the best intent is under the bot's threshold: the engine would fall back */
  intent: string | null;
  confidence: number;
  entities: Record<string, SlotScalar>;
  alternatives: { intent: string; confidence: number }[];
  /** the nearest knowledge entry (score 0–1, `accepted` when it clears the bot's threshold), null when none shares a word */
  knowledge: AsideMatch | null;
  /** the nearest small-talk entry, likewise */
  smallTalk: AsideMatch | null;
  /** words read as typos of the bot's words, as the engine reads them: knowledge is matched on the corrected text */
  corrections: { from: string; to: string }[];
}

/**
 * What the NLU makes of a sentence (`POST /v1/admin/bots/:bot/parse`). With a state,
 * references ("that one", "那款") resolve to the slot's last value, keyed by its entity.
 * Entities come back unredacted: this is an author's tool, behind the admin scope.
 */
export function parseUtterance(bot: CompiledBot, text: string, state?: DialogState): ParseResult {
  const nlu = bot.nlu.understand(text);
  const entities = { ...nlu.entities };
  for (const slot of state ? nlu.references : []) {
    const entity = bot.definition.slots[slot]?.entity;
    const value = state?.slots[slot]?.value;
    if (entity !== undefined && value !== undefined && !(entity in entities)) entities[entity] = value;
  }
  const best = nlu.best;
  const accepted = best !== null && best.confidence >= bot.threshold;
  return {
    intent: accepted ? best.intent : null,
    confidence: best?.confidence ?? 0,
    entities,
    alternatives: (accepted ? nlu.alternatives : best ? [best, ...nlu.alternatives] : []).slice(0, 3),
    ...bot.knowledge.match(nlu.corrections.length > 0 ? nlu.corrected : text),
    corrections: nlu.corrections.map(({ from, to }) => ({ from, to })),
  };
}
