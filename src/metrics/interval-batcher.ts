export type Sleep = (ms: number) => Promise<void>;
const sleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export interface IntervalBatcherOptions<B> {
  /** A fresh, empty batch. */
  create(): B;
  /** How many things a batch holds; 0 means there is nothing to send. */
  size(batch: B): number;
  /** Sends a batch. A rejection drops it: these are statistics, and a retry could double-count. */
  send(batch: B): Promise<void>;
  /** Told about a dropped batch (to log it); never throws into the caller. */
  onDropped?(batch: B, error: unknown): void;
  /** At most one send per this many ms… */
  intervalMs: number;
  /** …unless a batch grows to this size: a busy isolate does not hold a big batch for long. */
  maxSize: number;
  now?: () => number;
  wait?: Sleep;
}

/**
 * An isolate's counts, sent in batches: `add` only changes memory and, at most once per
 * interval, starts a send whose promise it hands back (a request gives it to
 * `ctx.waitUntil`, so it stays alive until the send is done; an actor needs not, and its
 * `waitUntil` would do nothing: it stays in memory well past the interval on its own). Every other `add` in that interval answers at once. Load on the receiver is
 * therefore isolates × 1/interval, whatever the traffic. Used for the registry's outcome
 * counters and for the metrics shards.
 */
export class IntervalBatcher<B> {
  private batch: B;
  private lastSendAt = Number.NEGATIVE_INFINITY;
  /** When the scheduled send is due; null when none is scheduled. */
  private dueAt: number | null = null;
  private readonly now: () => number;
  private readonly wait: Sleep;

  constructor(private readonly options: IntervalBatcherOptions<B>) {
    this.batch = options.create();
    this.now = options.now ?? Date.now;
    this.wait = options.wait ?? sleep;
  }

  /** Adds to the batch; the promise settles when the send this call scheduled (if any) is done. */
  add(fill: (batch: B) => void): Promise<void> {
    fill(this.batch);
    if (this.options.size(this.batch) >= this.options.maxSize) return this.flush();
    // A timer can die with the context that set it (an evicted actor, a finished request):
    // an overdue one is replaced rather than trusted.
    const now = this.now();
    if (this.dueAt !== null && now < this.dueAt + this.options.intervalMs) return Promise.resolve();
    const dueAt = now + this.delay(now);
    this.dueAt = dueAt;
    return this.wait(dueAt - now).then(() => {
      if (this.dueAt === dueAt) this.dueAt = null;
      return this.flush();
    });
  }

  /**
   * Adds and sends at once, scheduling no timer: for an object whose timers must not outlive
   * its events (a Durable Object with hibernatable WebSockets may be hibernated with a timer
   * pending, and calls into it then stall). One send per call: for rare events only.
   */
  addAndSend(fill: (batch: B) => void): Promise<void> {
    fill(this.batch);
    return this.flush();
  }

  /** Sends what has accumulated, now; never throws. */
  async flush(): Promise<void> {
    if (this.options.size(this.batch) === 0) return;
    const batch = this.batch;
    this.batch = this.options.create();
    this.lastSendAt = this.now();
    try {
      await this.options.send(batch);
    } catch (error) {
      this.options.onDropped?.(batch, error);
    }
  }

  private delay(now: number): number {
    return Math.max(0, this.lastSendAt + this.options.intervalMs - now);
  }
}
