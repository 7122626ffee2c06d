/** The figures of one fault — what the table prints and docs/reliability.md keeps — and the tally they are counted in. */
import type { Attempt } from "./api.js";
import type { Violations } from "./invariants.js";
import { noViolations, violationCount } from "./invariants.js";

/** Counted while a fault runs. */
export class Tally {
  acknowledged = 0;
  /** operations that had at least one unanswered attempt */
  unanswered = 0;
  /** operations still unanswered when their retries ran out */
  neverAnswered = 0;
  refused = 0;
  /** 5xx answers: Parley's own JSON errors, and the runtime's (wrangler's dev proxy) */
  parley5xx = 0;
  runtime5xx = 0;
  /** Parley's explicit overload answers: 503 with Retry-After (retried, not a failure) */
  shed = 0;
  /** connection errors and timeouts */
  network = 0;
  /** other 4xx answers where none was expected */
  rejected = 0;
  readonly violations: Violations = noViolations();
  /** invariant breaks that are not about one turn (an export gap, a socket that missed a message) */
  other = 0;
  readonly notes: string[] = [];
  readonly samples = new Map<string, string>();
  /** when each failed attempt was answered (epoch ms) and by whom: the cold burst lines them up with the runtime */
  readonly failedAttempts: { at: number; source: string }[] = [];

  /** Counts one attempt's answer; remembers the first of each kind of failure. */
  attempt(attempt: Attempt): void {
    if (attempt.kind === "refused") this.refused++;
    if (attempt.kind === "rejected") {
      this.rejected++;
      this.sample(`${attempt.status}`, attempt.reason);
    }
    if (attempt.kind !== "unanswered") return;
    if (this.failedAttempts.length < 100_000) this.failedAttempts.push({ at: Date.now(), source: attempt.source });
    if (attempt.source === "parley") this.parley5xx++;
    else if (attempt.source === "shed") this.shed++;
    else if (attempt.source === "runtime") this.runtime5xx++;
    else this.network++;
    this.sample(`${attempt.source} ${attempt.status}`, attempt.reason);
  }

  /** A broken invariant that is not one turn's. */
  broke(detail: string): void {
    this.other++;
    if (this.violations.details.length < 20) this.violations.details.push(detail);
  }

  sample(kind: string, detail: string): void {
    if (!this.samples.has(kind)) this.samples.set(kind, detail.replace(/\s+/g, " ").slice(0, 200));
  }
}

export interface FaultFigures {
  fault: string;
  /** what was done, in a few words: the runs behind the figures */
  runs: string;
  acknowledged: number;
  lost: number;
  duplicated: number;
  reordered: number;
  unanswered: number;
  parley5xx: number;
  runtime5xx: number;
  /** every other broken invariant (answered 429 yet applied, a wrong seq, an export gap, a socket gap) */
  otherViolations: number;
  seconds: number;
  notes: string[];
  details: string[];
}

export function figuresOf(fault: string, runs: string, tally: Tally, seconds: number): FaultFigures {
  const v = tally.violations;
  return {
    fault,
    runs,
    acknowledged: tally.acknowledged,
    lost: v.lost,
    duplicated: v.duplicated,
    reordered: v.reordered,
    unanswered: tally.unanswered,
    parley5xx: tally.parley5xx,
    runtime5xx: tally.runtime5xx,
    otherViolations: v.phantom + v.wrongSeq + tally.other,
    seconds,
    notes: [
      ...tally.notes,
      ...(tally.shed > 0 ? [`${tally.shed} answers were Parley shedding load (503 with Retry-After), each re-sent`] : []),
      ...[...tally.samples].map(([kind, detail]) => `first ${kind}: ${detail}`),
    ],
    details: v.details,
  };
}

/** Violations that fail the run: Parley's 5xx count, the runtime's do not (they are reported apart). */
export function failures(figures: FaultFigures): number {
  return figures.lost + figures.duplicated + figures.reordered + figures.otherViolations + figures.parley5xx;
}

export { violationCount };
