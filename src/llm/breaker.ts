import type { ChatChunk, ChatRequest, LlmFailure, LlmProvider } from "./types.js";
import { LlmError } from "./types.js";

export type BreakerState = "closed" | "open" | "half-open";

export interface BreakerOptions {
  /** Consecutive failures that open the circuit (default 5). */
  failureThreshold?: number;
  /** How long it stays open before one trial call is let through, ms (default 30 000). */
  cooldownMs?: number;
  /** The clock, ms; injectable for tests (default Date.now). */
  now?: () => number;
}

export const BREAKER_DEFAULTS = { failureThreshold: 5, cooldownMs: 30_000 } as const;

/**
 * A circuit breaker around a provider that keeps failing: after `failureThreshold` failures in a
 * row it opens, and for `cooldownMs` every call is refused at once (the user gets the scripted
 * answer without waiting on a dead provider's deadline). Then it is half-open: one trial call
 * goes through; its success closes the circuit, its failure opens it for another cooldown.
 *
 * Pure state and an injected clock. One per isolate, kept by the caller: it sees that isolate's
 * calls only, which is enough to stop hammering a provider that is down.
 *
 * @example
 * const breaker = new CircuitBreaker({ failureThreshold: 2, cooldownMs: 1000, now: () => t });
 * breaker.failure(); breaker.failure();
 * breaker.allow() // false until t has moved 1000 ms on, then true once (the trial)
 */
export class CircuitBreaker {
  private readonly failureThreshold: number;
  private readonly cooldownMs: number;
  private readonly now: () => number;
  private failures = 0;
  /** When the circuit opened; null while closed. */
  private openedAt: number | null = null;
  private trialInFlight = false;

  constructor(options: BreakerOptions = {}) {
    this.failureThreshold = Math.max(1, options.failureThreshold ?? BREAKER_DEFAULTS.failureThreshold);
    this.cooldownMs = Math.max(0, options.cooldownMs ?? BREAKER_DEFAULTS.cooldownMs);
    this.now = options.now ?? Date.now;
  }

  get state(): BreakerState {
    if (this.openedAt === null) return "closed";
    return this.trialInFlight || this.now() - this.openedAt >= this.cooldownMs ? "half-open" : "open";
  }

  /** Whether a call may go out now. In half-open state it answers true once, for the trial. */
  allow(): boolean {
    const state = this.state;
    if (state === "closed") return true;
    if (state === "open" || this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  success(): void {
    this.failures = 0;
    this.openedAt = null;
    this.trialInFlight = false;
  }

  failure(): void {
    this.failures++;
    if (this.trialInFlight) {
      this.openedAt = this.now();
      this.trialInFlight = false;
    } else if (this.openedAt === null && this.failures >= this.failureThreshold) {
      this.openedAt = this.now();
    }
  }

  /** A call ended without saying anything about the provider (the caller aborted it): a trial slot is freed for the next call. */
  abandon(): void {
    this.trialInFlight = false;
  }
}

/** Failures that say the provider is unwell; an abort by the caller or our own budget does not. */
const PROVIDER_FAILURES: ReadonlySet<LlmFailure> = new Set(["timeout", "http", "network", "malformed", "cut"]);

/**
 * The provider behind a breaker: refused calls throw `LlmError("circuit_open")` before any
 * request is made; a stream that ends (or is left early by its reader) counts as a success, one
 * that throws as a failure, unless it is an abort or a budget refusal, which say nothing of the provider.
 *
 * @example
 * const llm = withBreaker(withDeadlines(openAiCompatible({ baseUrl }), deadlines), breakerOfThisIsolate);
 */
export function withBreaker(provider: LlmProvider, breaker: CircuitBreaker): LlmProvider {
  return { name: provider.name, stream: (request) => streamThroughBreaker(provider, request, breaker) };
}

async function* streamThroughBreaker(provider: LlmProvider, request: ChatRequest, breaker: CircuitBreaker): AsyncGenerator<ChatChunk> {
  if (!breaker.allow()) throw new LlmError("circuit_open", `${provider.name}: the circuit is open after repeated failures`);
  let failed = false;
  try {
    yield* provider.stream(request);
  } catch (error) {
    failed = true;
    if (error instanceof LlmError && !PROVIDER_FAILURES.has(error.failure)) breaker.abandon();
    else breaker.failure();
    throw error;
  } finally {
    if (!failed) breaker.success();
  }
}
