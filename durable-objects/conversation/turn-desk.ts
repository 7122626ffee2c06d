import type { ResolvedBot } from "../../platform/bot-catalog.js";
import type { TurnResult } from "../../src/protocol/messages.js";
import type { TurnRequest } from "./conversation-actor.js";
import type { SerialQueue } from "./serial-queue.js";
import { TurnGate } from "./turn-gate.js";
import type { TurnRunner } from "./turn-runner.js";
import type { Admitted } from "./turn-stream.js";
import type { UserRateLimit } from "./user-rate-limit.js";
import { VOICE_TURN_KEY_PREFIX } from "./voice-jobs.js";

/** What admitting and taking turns needs of the actor. */
export interface TurnDeskHost {
  readonly serial: SerialQueue;
  readonly rateLimit: UserRateLimit;
  readonly runner: TurnRunner;
  /** a stored turn's answer by its clientMessageId */
  dedupe(key: string): TurnResult | null;
  /** the bot version a turn runs on: an open flow's, else `jobVersion` (a voice job's), else the cohort's */
  resolve(jobVersion: string | null): Promise<ResolvedBot>;
  /** runs `task`, showing `typing` on the user's sockets if it is slow */
  typingWhile<T>(task: () => Promise<T>): Promise<T>;
  /** a turn that threw, counted against the version it ran on */
  failed(version: string): void;
}

/**
 * Where the actor's turns come in: a repeat is answered from the store (or joins the run still
 * going), a user over their budget is refused, and every other turn runs alone — serialized with
 * everything else that writes — exactly once per clientMessageId.
 */
export class TurnDesk {
  private readonly gate: TurnGate;

  constructor(private readonly host: TurnDeskHost) {
    this.gate = new TurnGate((key) => host.dedupe(key));
  }

  /** A repeat's answer, a refusal, or the turn run (serialized, and held under its key so that a repeat joins it). */
  admit(request: TurnRequest): Admitted {
    const { host } = this;
    const key = request.clientMessageId;
    const repeat = key === undefined ? null : this.gate.repeat(key);
    if (repeat) return repeat;
    const refused = host.rateLimit.admit();
    if (refused) return refused;
    if (key === undefined) return host.serial.run(() => host.typingWhile(() => this.take(request)));
    return this.gate.hold(
      key,
      host.serial.run(() => host.typingWhile(() => this.take(request, { gated: true }))),
    );
  }

  /**
   * One turn, already serialized: the dedupe re-check, the bot version, then the runner. `gated`:
   * `admit` passed the key through the TurnGate, which holds it until this settles, so no one
   * else can store it meanwhile — except a voice turn, which runs outside the gate; keys that look
   * like a voice turn's are checked again here. `jobVersion`: a voice job's version, which stands
   * in for the cohort's (an open flow still finishes on its own).
   */
  async take(request: TurnRequest, { gated = false, jobVersion = null }: { gated?: boolean; jobVersion?: string | null } = {}): Promise<TurnResult> {
    const { host } = this;
    const key = request.clientMessageId;
    const recheck = key !== undefined && (!gated || key.startsWith(VOICE_TURN_KEY_PREFIX));
    const done = recheck ? host.dedupe(key) : null;
    if (done) return { ...done, duplicate: true };
    const resolved = await host.resolve(jobVersion);
    try {
      return await host.runner.run(request, resolved);
    } catch (error) {
      // A turn that throws is an error of the version it ran on: the canary's report card shows it.
      host.failed(resolved.bot.version);
      throw error;
    }
  }
}
