import type { BotDefinition } from "../schema.js";
import type { SlotScalar } from "../types.js";
import type { IntentScore } from "./classifier.js";
import { trainClassifier } from "./classifier.js";
import type { EntityExtractor, EntitySpan } from "./entities.js";
import { compileEntities } from "./entities.js";
import { featuresOf } from "./features.js";
import type { Lang } from "./text.js";
import { detectLanguage, findPhrase, normalizeText } from "./text.js";

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
}

export interface CompiledNlu {
  understand(text: string): Understanding;
}

const ALTERNATIVES = 3;

/** Trains the classifier and compiles the extractors: once per definition version. */
export function compileNlu(def: BotDefinition): CompiledNlu {
  const extractor = compileEntities(def.entities);
  const examples = Object.entries(def.intents).flatMap(([intent, { examples }]) =>
    examples.map((text) => ({ intent, features: featuresFor(extractor, text) })),
  );
  const classifier = trainClassifier(examples);
  const references = Object.entries(def.slots).flatMap(([slot, s]) => s.references.map((phrase) => ({ slot, phrase: normalizeText(phrase) })));
  return {
    understand(text) {
      const lower = normalizeText(text);
      const { entities, spans } = extractor.extract(text);
      const [best, ...rest] = classifier.classify(featuresOf(lower, spans));
      const referred = new Set(references.filter((r) => findPhrase(lower, r.phrase).length > 0).map((r) => r.slot));
      return {
        best: best ?? null,
        alternatives: rest.slice(0, ALTERNATIVES),
        entities,
        spans,
        references: [...referred],
        lang: detectLanguage(text),
      };
    },
  };
}

function featuresFor(extractor: EntityExtractor, text: string): ReturnType<typeof featuresOf> {
  return featuresOf(normalizeText(text), extractor.extract(text).spans);
}
