import type { GenerationPlan } from "../../src/conversation/generating.js";
import type { GenerationRecord } from "../../src/conversation/generation-events.js";
import type { Understander } from "../../src/conversation/turn.js";
import type { CompiledBot, GenerationRequest } from "../../src/dialog/index.js";
import type { LiveReply } from "./live-replies.js";

/** A reply written by a model, or not (null: the scripted reply goes out), and the record of how. */
export interface Written {
  text: string | null;
  record: GenerationRecord;
}

/** What a turn asks of the LLM layer; absent when no model is configured (then nothing changes). */
export interface TurnLlm {
  /** Proposes commands when the rules are unsure, for this bot version (null: the bot has no `llm.understand`). */
  understander(bot: CompiledBot): Understander | null;
  /** Whether this request's reply is to be generated now, and by which model (null: the scripted reply as it is). */
  plan(bot: CompiledBot, request: GenerationRequest): GenerationPlan | null;
  /** Writes the reply, each piece to `live` as it comes; never throws. */
  write(bot: CompiledBot, request: GenerationRequest, plan: GenerationPlan, live: LiveReply): Promise<Written>;
}
