import type { BotDefinition } from "../schema.js";
import type { SlotScalar } from "../types.js";
import type { IntentScore } from "./classifier.js";
import { trainClassifier } from "./classifier.js";
import type { EntityExtractor, EntitySpan } from "./entities.js";
import { compileEntities } from "./entities.js";
import { featuresOf } from "./features.js";
import type { Lang } from "./text.js";
import { detectLanguage, findPhrase, normalizeText } from "./text.js";
import type { Correction, TypoEdit } from "./typos.js";
import { compileSpeller, toCorrected } from "./typos.js";
import { hanTextOf, vocabularyOf } from "./vocabulary.js";

/** What the NLU makes of one utterance, before any dialog state is consulted. */
export interface Understanding {
  /** best intent, even below the threshold (the engine decides) */
  best: IntentScore | null;
  /** the runners-up, best first */
  alternatives: IntentScore[];
  entities: Record<string, SlotScalar>;
  spans: EntitySpan[];
  /** slots the utterance refers back to ("that one", "那款") */
  references: string[];
  lang: Lang | null;
  /** words read as another word of the bot's vocabulary ("runing" → running); spans stay in the text as typed */
  corrections: readonly TypoEdit[];
  /** the normalized text with every correction made ("do you take retuns" → "do you take returns") */
  corrected: string;
}

export interface CompiledNlu {
  understand(text: string): Understanding;
}

const ALTERNATIVES = 3;

/** Trains the classifier and compiles the extractors: once per definition version. */
export function compileNlu(def: BotDefinition): CompiledNlu {
  const extractor = compileEntities(def.entities, def.nlu.typoTolerance ? hanTextOf(def) : undefined);
  const speller = def.nlu.typoTolerance ? compileSpeller(vocabularyOf(def)) : null;
  const correct = (lower: string): Correction => speller?.correct(lower) ?? { text: lower, edits: [] };
  const examples = Object.entries(def.intents).flatMap(([intent, { examples }]) =>
    examples.map((text) => ({ intent, features: featuresFor(extractor, text, correct(normalizeText(text))) })),
  );
  const classifier = trainClassifier(examples);
  const references = Object.entries(def.slots).flatMap(([slot, s]) => s.references.map((phrase) => ({ slot, phrase: normalizeText(phrase) })));
  return {
    understand(text) {
      const correction = correct(normalizeText(text));
      const { entities, spans } = extractor.extract(text, correction);
      const [best, ...rest] = classifier.classify(featuresFor(extractor, text, correction, spans));
      const referred = new Set(references.filter((r) => findPhrase(correction.text, r.phrase).length > 0).map((r) => r.slot));
      return {
        best: best ?? null,
        alternatives: rest.slice(0, ALTERNATIVES),
        entities,
        spans,
        references: [...referred],
        lang: detectLanguage(text),
        // Words inside a phone, address or regex match are not reported: they may be sealed values.
        corrections: correction.edits.filter(
          (edit) => !spans.some((s) => s.kind !== "enum" && s.kind !== "number" && edit.start < s.end && s.start < edit.end),
        ),
        corrected: correction.text,
      };
    },
  };
}

/** Features of the corrected words: "stok" counts as "stock" for the classifier too. */
function featuresFor(
  extractor: EntityExtractor,
  text: string,
  correction: Correction,
  spans = extractor.extract(text, correction).spans,
): ReturnType<typeof featuresOf> {
  if (correction.edits.length === 0) return featuresOf(correction.text, spans);
  const shifted = spans.map((span) => ({ ...span, start: toCorrected(correction, span.start), end: toCorrected(correction, span.end) }));
  return featuresOf(correction.text, shifted);
}
