/** Where a user's tokens of one UTC day are counted, in the actor's meta table. */
const KEY_PREFIX = "llm-tokens:";

/** The meta rows the budget reads and writes (ConversationStore's). */
export interface MetaRows {
  getMeta(key: string): string | null;
  setMeta(key: string, value: string): void;
}

/**
 * A user's model tokens per UTC day (`llm.limits.tokensPerUserPerDay`), kept in their actor:
 * one user is one actor, so the count needs no coordination. A call may take the total a
 * little past the limit; the next one is refused. Erasing the conversation erases the count.
 */
export class TokenBudget {
  constructor(
    private readonly rows: () => MetaRows,
    private readonly now: () => number = Date.now,
  ) {}

  spent(): number {
    return Number(this.rows().getMeta(this.key()) ?? 0);
  }

  exhausted(limit: number): boolean {
    return this.spent() >= limit;
  }

  spend(tokens: number): void {
    if (tokens <= 0) return;
    this.rows().setMeta(this.key(), String(this.spent() + Math.ceil(tokens)));
  }

  private key(): string {
    return KEY_PREFIX + new Date(this.now()).toISOString().slice(0, 10);
  }
}
