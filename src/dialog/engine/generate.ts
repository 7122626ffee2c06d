import { maskForModel } from "../llm/mask.js";
import { detectLanguage } from "../nlu/text.js";
import type { GenerationRequest, StepDraft } from "./step-draft.js";

/** Knowledge entries a generated answer may draw on. */
const GROUNDING = 3;

/**
 * Marks the text just said (`scripted`) as one a model may reword, when the bot's `llm.generate`
 * allows it for `kind`: the request carries the message and the nearest knowledge entries in
 * the user's language. A step says at most one such text; the first one asked for keeps it.
 */
export function requestGeneration(draft: StepDraft, kind: GenerationRequest["kind"], scripted: string): void {
  const llm = draft.bot.definition.llm;
  const message = draft.message;
  if (!llm?.generate[kind] || message === undefined || draft.generate !== undefined || scripted.length === 0) return;
  const lang = draft.lang;
  const grounding = draft.bot.knowledge.topKnowledge(message, GROUNDING).flatMap((match) => {
    const entry = draft.bot.knowledge.knowledgeEntry(match.entry);
    if (!entry) return [];
    const question = entry.questions.find((q) => detectLanguage(q) === lang) ?? entry.questions[0] ?? "";
    return [{ id: entry.id, question, answer: draft.render(entry.answer) }];
  });
  draft.generate = { kind, lang, question: maskForModel(draft.bot, message), grounding, scripted };
}
