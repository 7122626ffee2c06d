import type { Env } from "../../platform/env.js";
import { proposeCommands } from "../../platform/llm-propose.js";
import type { LlmCallResult, LlmRuntime } from "../../platform/llm-runtime.js";
import { llmCallBase, llmRuntimeOf } from "../../platform/llm-runtime.js";
import { CheckedRelease } from "../../src/conversation/checked-release.js";
import type { GenerationPlan } from "../../src/conversation/generating.js";
import type { GenerationRecord } from "../../src/conversation/generation-events.js";
import type { Understander } from "../../src/conversation/turn.js";
import type { CompiledBot, GenerationRequest, LlmSettings, RecentTurn, ReplyContext, StepResult } from "../../src/dialog/index.js";
import { answerMessages, checkReply, wantsUnderstanding } from "../../src/dialog/index.js";
import { localize } from "../../src/dialog/template.js";
import type { DialogState } from "../../src/dialog/types.js";
import { DeltaBatcher } from "../../src/llm/delta-batcher.js";
import type { LiveReply } from "./live-replies.js";
import type { TokenBudget } from "./token-budget.js";
import type { TurnLlm, Written } from "./turn-llm.js";

/** Pieces of a reply go out together at most this often (the first at once). */
const DELTA_EVERY_MS = 40;
/** An unfinished reply is checked — and what passed shown — each time it has grown by this many characters (the first ones at once). */
const CHECK_EVERY_CHARS = 24;

/** What the LLM layer reads of its conversation. */
export interface LlmTurnsHost {
  readonly env: Env;
  /** the last messages before seq `before` (all, without it), as stored (sensitive values masked), oldest first */
  recent(limit: number, before?: number): RecentTurn[];
  /** the conversation's sensitive slot values, in clear: a reply must not echo them */
  sensitiveValues(): string[];
  readonly budget: TokenBudget;
}

/**
 * The conversation actor's LLM layer (TurnLlm): asks the bot version's model for commands when
 * the rules are unsure, and for a reply where the engine allows one — within the user's daily
 * token budget, the bot's concurrency and time limits, and the isolate's circuit breaker.
 * Whatever goes wrong, the rules' answer stands: commands are validated like typed values, a
 * reply that fails its checks is replaced by the scripted one.
 */
export class LlmTurns implements TurnLlm {
  constructor(private readonly host: LlmTurnsHost) {}

  understander(bot: CompiledBot): Understander | null {
    const settings = bot.definition.llm;
    const runtime = settings?.understand ? this.runtimeOf(settings) : null;
    if (!settings || !runtime) return null;
    return async (text: string, dialog: DialogState, rules: StepResult, at: number) => {
      if (!wantsUnderstanding(rules, bot) || this.host.budget.exhausted(settings.limits.tokensPerUserPerDay)) return null;
      const proposal = await proposeCommands(this.host.env, bot, text, dialog, this.host.recent(settings.recentTurns));
      if (!proposal) return null;
      this.host.budget.spend(proposal.call.inputTokens + proposal.call.outputTokens);
      if (!proposal.call.ok) return null;
      const { accepted, dropped } = proposal.validated;
      return { kind: "commands", text, commands: accepted, proposed: proposal.parsed.commands.length, dropped, at };
    };
  }

  plan(bot: CompiledBot, request: GenerationRequest): GenerationPlan | null {
    const settings = bot.definition.llm;
    const runtime = settings?.generate[request.kind] ? this.runtimeOf(settings) : null;
    if (!settings || !runtime) return null;
    return { kind: request.kind, replaces: request.scripted, provider: runtime.name, model: settings.model };
  }

  async write(bot: CompiledBot, request: GenerationRequest, plan: GenerationPlan, live: LiveReply): Promise<Written> {
    const settings = bot.definition.llm;
    const runtime = settings ? this.runtimeOf(settings) : null;
    if (!settings || !runtime) return scripted(plan, "unconfigured");
    if (this.host.budget.exhausted(settings.limits.tokensPerUserPerDay)) {
      return { text: `${request.scripted}\n${localize(settings.budgetExceeded, request.lang)}`, record: record(plan, "scripted", { reason: "budget" }) };
    }
    // The message being answered is committed already: it goes as the question, not as a recent turn.
    const messages = answerMessages(bot, request, this.host.recent(settings.recentTurns, live.replyTo), request.lang);
    const context: ReplyContext = { sensitiveValues: this.host.sensitiveValues(), systemPrompt: messages[0]?.content ?? "", userText: request.question };
    const batch = new DeltaBatcher((text) => live.append(text), DELTA_EVERY_MS);
    // Nothing is shown before it is checked: a foreign link or a banned phrase never reaches the user.
    const release = new CheckedRelease(
      (prefix) => {
        const check = checkReply(prefix, bot, context);
        return check.ok || check.problem === "empty" ? null : check.problem;
      },
      (text) => batch.push(text),
      CHECK_EVERY_CHARS,
    );
    const result = await runtime.call({
      ...llmCallBase(bot.id, settings),
      use: "generate",
      messages,
      stopIf: (soFar) => release.offer(soFar),
    });
    this.host.budget.spend(result.inputTokens + result.outputTokens);
    if (!result.ok)
      return { text: null, record: record(plan, "scripted", { ...figures(result), reason: result.failure === "refused" ? result.reason : result.failure }) };
    const text = result.text.trim();
    const check = checkReply(text, bot, context);
    if (!check.ok) return { text: null, record: record(plan, "scripted", { ...figures(result), reason: check.problem }) };
    release.finish(result.text);
    batch.flush();
    return { text, record: record(plan, "generated", figures(result)) };
  }

  private runtimeOf(settings: LlmSettings): LlmRuntime | null {
    return llmRuntimeOf(this.host.env, settings.provider);
  }
}

function figures(result: LlmCallResult): Omit<GenerationRecord, "outcome" | "provider" | "model"> {
  return {
    durationMs: result.durationMs,
    inputTokens: result.inputTokens,
    outputTokens: result.outputTokens,
    ...(result.ttftMs === null ? {} : { ttftMs: result.ttftMs }),
  };
}

function record(plan: GenerationPlan, outcome: GenerationRecord["outcome"], more: Omit<GenerationRecord, "outcome" | "provider" | "model">): GenerationRecord {
  return { outcome, provider: plan.provider, model: plan.model, ...more };
}

function scripted(plan: GenerationPlan, reason: string): Written {
  return { text: null, record: record(plan, "scripted", { reason }) };
}
