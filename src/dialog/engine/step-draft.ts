import type { CompiledBot } from "../compile.js";
import type { DialogEvent } from "../events.js";
import { applyDialogEvent, replyLanguage } from "../reducer.js";
import type { LocalizedText } from "../schema.js";
import type { Lang } from "../template.js";
import { localize, maskValue, renderTemplate } from "../template.js";
import type { ActionRequest, DialogState, FlowFrame, Reply } from "../types.js";

/**
 * A scripted part of the reply that a language model may reword (the bot's `llm.generate`):
 * a knowledge answer, or the fallback. `scripted` is exactly the text the reply holds for it,
 * so the caller can replace it; `grounding` is what retrieval found for the message, best first.
 */
export interface GenerationRequest {
  kind: "knowledge" | "fallback";
  lang: Lang;
  /** the user's message, its sensitive values masked */
  question: string;
  grounding: { id: string; question: string; answer: string }[];
  scripted: string;
}

/** The result of one engine step: events to append, what to say, and maybe an action to run. */
export interface StepResult {
  events: DialogEvent[];
  reply: Reply | null;
  action?: ActionRequest;
  /** set only for a bot with an `llm` section that allows it */
  generate?: GenerationRequest;
}

/**
 * The draft of one engine step's result (`step` in step.ts makes one, the engine's functions
 * fill it, `result()` hands it back): the events emitted so far, the reply's texts and quick
 * replies, the action to run. Every event is folded into `state` as it is emitted, so the rest
 * of the step reads the state the caller will have after applying the same events.
 */
export class StepDraft {
  readonly events: DialogEvent[] = [];
  private readonly texts: string[] = [];
  private quickReplies: string[] | undefined;
  action: ActionRequest | undefined;
  /** the flow this message started, and the message: an ask with `startAnswer` may take it as its answer */
  started: { flow: string; text: string } | undefined;
  /** the user's message this step answers (none for an action's result) */
  message: string | undefined;
  generate: GenerationRequest | undefined;

  constructor(
    public state: DialogState,
    readonly bot: CompiledBot,
    readonly at: number,
  ) {}

  emit(event: DialogEvent): void {
    this.events.push(event);
    this.state = applyDialogEvent(this.state, event);
  }

  get lang(): Lang {
    return replyLanguage(this.state, this.bot.definition.defaultLanguage);
  }

  top(): FlowFrame | undefined {
    return this.state.flows.at(-1);
  }

  /** Renders a template in the user's language with the current slots, adds it to the reply and returns it. */
  say(text: LocalizedText, quickReplies?: readonly LocalizedText[]): string {
    const rendered = this.render(text);
    if (rendered.length > 0) this.texts.push(rendered);
    if (quickReplies) this.quickReplies = quickReplies.map((q) => this.render(q));
    return rendered;
  }

  offer(quickReplies: string[]): void {
    this.quickReplies = quickReplies;
  }

  render(text: LocalizedText): string {
    return renderTemplate(localize(text, this.lang), (name) => this.slotText(name));
  }

  /** How a slot reads in a reply: an enum's label in the user's language, a sensitive value masked. */
  slotText(name: string): string | undefined {
    const slot = this.state.slots[name];
    if (!slot) return undefined;
    const def = this.bot.definition.slots[name];
    if (def?.sensitive || slot.sensitive) return maskValue(slot.value);
    const entity = def?.entity === undefined ? undefined : this.bot.definition.entities[def.entity];
    if (entity?.type === "enum") {
      const label = entity.values.find((v) => v.value === slot.value)?.label;
      if (label !== undefined) return localize(label, this.lang);
    }
    return String(slot.value);
  }

  result(): StepResult {
    const reply: Reply | null =
      this.texts.length === 0 && !this.quickReplies ? null : { text: this.texts.join("\n"), ...(this.quickReplies ? { quickReplies: this.quickReplies } : {}) };
    return { events: this.events, reply, ...(this.action ? { action: this.action } : {}), ...(this.generate ? { generate: this.generate } : {}) };
  }
}
