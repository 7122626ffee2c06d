import type { CompiledBot } from "../src/dialog/index.js";
import { compileBot, validateBotDefinition } from "../src/dialog/index.js";
import { cohortOf } from "../src/rollout/cohort.js";
import type { Cohort, Rollout } from "../src/rollout/rollout.js";
import type { Env } from "./env.js";

export const DEFAULT_ROLLOUT_TTL_MS = 2000;
/** How long past its TTL a cached rollout may still be served while its refresh is in flight. */
export const MAX_STALE_MS = 2500;

interface CachedRollout {
  rollout: Rollout;
  fetchedAt: number;
}

/** The registry knows no such bot (no rollout) or no such version: a 404, not an outage. */
export class UnknownBotError extends Error {
  override readonly name = "UnknownBotError";
  constructor(
    readonly bot: string,
    readonly version?: string,
  ) {
    super(version === undefined ? `bot "${bot}" has no rollout` : `bot "${bot}" has no version "${version}"`);
  }
}

export interface ResolvedBot {
  bot: CompiledBot;
  cohort: Cohort;
}

/**
 * An isolate's view of the registry. Rollouts are trusted for a short TTL (so a rollback
 * reaches every conversation within seconds) and compiled definitions forever (versions
 * are immutable). Registry load grows with isolates × 1/TTL, never with users or turns.
 */
/** A registry call in flight (or done), shared by the isolate's callers. */
interface Pending<T> {
  promise: Promise<T>;
  startedAt: number;
  settled: boolean;
}

/**
 * Compiled versions an isolate keeps (each holds its classifier and knowledge index): the least
 * recently used goes first. Conversations use a handful at a time — stable, a canary, the
 * versions open flows started on — so a long-lived isolate across many publishes stays bounded.
 */
export const MAX_COMPILED_VERSIONS = 16;

/** How long a registry call may stay unanswered before a caller stops waiting for it and makes its own. */
const ABANDONED_MS = 3000;

export class BotCatalog {
  private readonly rollouts = new Map<string, CachedRollout>();
  private readonly pendingRollouts = new Map<string, Pending<Rollout>>();
  private readonly bots = new Map<string, Pending<CompiledBot>>();

  constructor(
    private readonly registry: () => ReturnType<Env["REGISTRY"]["get"]>,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    private readonly abandonedMs = ABANDONED_MS,
  ) {}

  /** The bot a user talks to: the version their flow started on, else their cohort's. */
  async resolve(botId: string, userId: string, pinnedVersion: string | null): Promise<ResolvedBot> {
    const { cohort, version } = cohortOf(userId, await this.rollout(botId));
    return { bot: await this.version(botId, pinnedVersion ?? version), cohort };
  }

  /**
   * The bot's rollout, at most `ttlMs` old plus one registry round trip. Once it is older, the
   * first caller starts one refresh and every caller keeps the cached rollout until it lands
   * (stale-while-revalidate): turns never queue behind the registry, and a rollback still
   * arrives within the TTL and one request. Only a rollout older than `ttlMs + MAX_STALE_MS`
   * (a registry that does not answer) makes callers wait for the refresh.
   */
  async rollout(botId: string): Promise<Rollout> {
    const cached = this.rollouts.get(botId);
    const age = cached ? this.now() - cached.fetchedAt : Number.POSITIVE_INFINITY;
    if (cached && age < this.ttlMs) return cached.rollout;
    const pending = this.pendingRollouts.get(botId);
    const current = pending && !this.abandoned(pending) ? pending : this.startRefresh(botId, cached);
    if (cached && age < this.ttlMs + MAX_STALE_MS) return cached.rollout;
    return this.awaitOrRenew(current, () => this.startRefresh(botId, cached));
  }

  private startRefresh(botId: string, cached: CachedRollout | undefined): Pending<Rollout> {
    const mine = this.started(this.refresh(botId, cached));
    this.pendingRollouts.set(botId, mine);
    mine.promise.then(
      () => this.forget(this.pendingRollouts, botId, mine),
      () => this.forget(this.pendingRollouts, botId, mine),
    );
    return mine;
  }

  private forget<T>(map: Map<string, Pending<T>>, key: string, pending: Pending<T>): void {
    if (map.get(key) === pending) map.delete(key);
  }

  version(botId: string, version: string): Promise<CompiledBot> {
    const key = `${botId}@${version}`;
    const known = this.bots.get(key);
    const start = () => {
      const mine = this.started(this.load(botId, version));
      this.bots.set(key, mine);
      mine.promise.catch(() => this.forget(this.bots, key, mine));
      return mine;
    };
    const bot = known && !this.abandoned(known) ? known : start();
    this.touch(key, bot);
    return this.awaitOrRenew(bot, start);
  }

  /** Marks `key` most recently used; past MAX_COMPILED_VERSIONS the least recently used settled version is dropped. */
  private touch(key: string, bot: Pending<CompiledBot>): void {
    this.bots.delete(key);
    this.bots.set(key, bot);
    if (this.bots.size <= MAX_COMPILED_VERSIONS) return;
    for (const [oldest, entry] of this.bots) {
      if (entry.settled && oldest !== key) {
        this.bots.delete(oldest);
        return;
      }
    }
  }

  /** Compiled versions held (for tests of the bound). */
  get compiledVersions(): number {
    return this.bots.size;
  }

  /** Hands over a bot compiled elsewhere in this isolate (at publishing), so it is not compiled twice. */
  prime(bot: CompiledBot): void {
    const key = `${bot.id}@${bot.version}`;
    if (!this.bots.get(key)?.settled) this.touch(key, { promise: Promise.resolve(bot), startedAt: this.now(), settled: true });
  }

  /**
   * A registry call whose promise another context started (a request, an actor) stalls for good
   * if that context ended first — its I/O is cancelled with it, and stale-while-revalidate means
   * the starter often does not wait. One unsettled past ABANDONED_MS is left behind: the next
   * caller starts its own.
   */
  private abandoned(pending: Pending<unknown>): boolean {
    return !pending.settled && this.now() - pending.startedAt > this.abandonedMs;
  }

  /** The call's answer; if it is not there by ABANDONED_MS after the call started, a new call's (made here, in the caller's context). */
  private awaitOrRenew<T>(pending: Pending<T>, renew: () => Pending<T>): Promise<T> {
    if (pending.settled) return pending.promise;
    const left = Math.max(0, this.abandonedMs - (this.now() - pending.startedAt));
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => renew().promise.then(resolve, reject), left);
      pending.promise.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }

  private started<T>(promise: Promise<T>): Pending<T> {
    const pending: Pending<T> = { promise, startedAt: this.now(), settled: false };
    promise.then(
      () => {
        pending.settled = true;
      },
      () => undefined,
    );
    return pending;
  }

  private async refresh(botId: string, stale: CachedRollout | undefined): Promise<Rollout> {
    try {
      const rollout = await this.registry().getRollout(botId);
      if (!rollout) throw new UnknownBotError(botId);
      this.rollouts.set(botId, { rollout, fetchedAt: this.now() });
      return rollout;
    } catch (error) {
      // A registry hiccup must not stop conversations: serve the last known rollout.
      if (stale) return stale.rollout;
      throw error;
    }
  }

  private async load(botId: string, version: string): Promise<CompiledBot> {
    const definition = await this.registry().getDefinition(botId, version);
    if (definition === null) throw new UnknownBotError(botId, version);
    const checked = validateBotDefinition(JSON.parse(definition));
    if (!checked.ok) throw new Error(`bot "${botId}@${version}" is invalid at ${checked.path}: ${checked.message}`);
    return compileBot(checked.bot);
  }
}

let shared: BotCatalog | undefined;

/** One catalog per isolate, shared by every actor instance in it. */
export function sharedCatalog(namespace: Env["REGISTRY"], ttlMs: number): BotCatalog {
  shared ??= new BotCatalog(() => namespace.getByName("global"), ttlMs);
  return shared;
}
