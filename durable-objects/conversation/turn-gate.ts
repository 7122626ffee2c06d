import type { TurnResult } from "../../src/protocol/messages.js";

/**
 * Exactly once per `clientMessageId`: a key whose turn is stored is answered from the store, a
 * key whose turn is still running waits for that run; both answers say `duplicate: true`.
 * A key is held from the moment its run is queued until it settles, so two identical requests
 * arriving together run one turn.
 */
export class TurnGate {
  private readonly inflight = new Map<string, Promise<TurnResult>>();

  constructor(private readonly stored: (key: string) => TurnResult | null) {}

  /** The answer to a repeat of `key`, or null when `key` is new (then `hold` its run). */
  repeat(key: string): TurnResult | Promise<TurnResult> | null {
    const done = this.stored(key);
    if (done) return { ...done, duplicate: true };
    const running = this.inflight.get(key);
    return running ? running.then((result) => ({ ...result, duplicate: true })) : null;
  }

  /** Holds `key` until `run` settles; a repeat meanwhile waits for it. */
  hold(key: string, run: Promise<TurnResult>): Promise<TurnResult> {
    this.inflight.set(key, run);
    const release = () => this.inflight.delete(key);
    run.then(release, release);
    return run;
  }
}
