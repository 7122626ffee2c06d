import { DurableObject } from "cloudflare:workers";
import { validateBotDefinition } from "../src/dialog/index.js";
import type { Rollout } from "../src/rollout/rollout.js";
import type { Env } from "../workers/env.js";
import { BUNDLED_BOTS } from "./bundled-bots.js";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS versions (bot TEXT NOT NULL, version TEXT NOT NULL, body TEXT NOT NULL, published_at INTEGER NOT NULL, published_by TEXT NOT NULL, PRIMARY KEY (bot, version));
CREATE TABLE IF NOT EXISTS rollouts (bot TEXT PRIMARY KEY, rollout TEXT NOT NULL, updated_at INTEGER NOT NULL);
`;

/**
 * Bot definitions (immutable versions) and their rollout. One global object, kept off the
 * hot path: isolates cache what it answers (see BotCatalog).
 */
export class BotRegistry extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(SCHEMA);
    this.seedBundledBots();
  }

  getRollout(bot: string): Rollout | null {
    const row = this.sql.exec<{ rollout: string }>("SELECT rollout FROM rollouts WHERE bot = ?", bot).toArray()[0];
    return row ? (JSON.parse(row.rollout) as Rollout) : null;
  }

  /** The definition's JSON text: callers parse and compile it once per isolate. */
  getDefinition(bot: string, version: string): string | null {
    const row = this.sql
      .exec<{ body: string }>("SELECT body FROM versions WHERE bot = ? AND version = ?", bot, version)
      .toArray()[0];
    return row?.body ?? null;
  }

  /** Publishes every bundled example bot that is not there yet, and makes it stable if its bot has no rollout. */
  private seedBundledBots(): void {
    for (const json of BUNDLED_BOTS) {
      const checked = validateBotDefinition(json);
      if (!checked.ok) throw new Error(`bundled bot is invalid at ${checked.path}: ${checked.message}`);
      const { id, version } = checked.bot;
      this.sql.exec(
        "INSERT OR IGNORE INTO versions (bot, version, body, published_at, published_by) VALUES (?, ?, ?, ?, 'bundle')",
        id,
        version,
        JSON.stringify(checked.bot),
        Date.now(),
      );
      const rollout: Rollout = { stable: version };
      this.sql.exec("INSERT OR IGNORE INTO rollouts (bot, rollout, updated_at) VALUES (?, ?, ?)", id, JSON.stringify(rollout), Date.now());
    }
  }
}
