import type { MoneyCount, ShardLedger } from "../../src/campaign/ledger.js";
import type { LatencyFigures } from "../../src/campaign/payout-latency.js";
import { latencyOf } from "../../src/campaign/payout-latency.js";
import type { CampaignDefinition } from "../../src/campaign/schema.js";
import type { AdminStatus } from "../../src/campaign/status.js";
import type { Stock } from "../../src/campaign/stock.js";
import type { DrawResult, PayoutRecord } from "../../src/campaign/types.js";

// Draws are keyed by (user, request): the per-user count and the replay lookup are both prefix
// scans of the primary key. Payout rows keep the record as JSON plus the columns the ledger sums.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS draws (user_key TEXT NOT NULL, request_id TEXT NOT NULL, draw_no INTEGER NOT NULL, prize_id TEXT, result TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (user_key, request_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS payouts (draw_id TEXT PRIMARY KEY, prize_id TEXT NOT NULL, amount INTEGER NOT NULL, state TEXT NOT NULL, saga_started INTEGER NOT NULL, record TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS grants (grant_id TEXT PRIMARY KEY, need TEXT NOT NULL, granted TEXT, at INTEGER NOT NULL) WITHOUT ROWID;
`;

/** What a shard holds besides its rows: written whole, on every change (a few hundred bytes). */
export interface ShardState {
  definition: CampaignDefinition;
  shard: number;
  stock: Stock;
  /** the coordinator's remainder as last seen: it only shrinks */
  coordinatorLeft: Stock;
  /** the sum of the grants applied */
  granted: Stock;
}

/** The admin status as last pushed by the coordinator (a shard may get it before its first draw). */
export interface PushedStatus {
  adminStatus: AdminStatus;
  version: number;
}

/** The shard's SQLite storage. Its JSON columns are only written here, so reading them back is the one cast. */
export class ShardStore {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(SCHEMA);
  }

  private meta<T>(key: string): T | null {
    const row = this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", key).toArray()[0];
    return row ? (JSON.parse(row.value) as T) : null;
  }

  private putMeta(key: string, value: unknown): void {
    this.sql.exec("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, JSON.stringify(value));
  }

  state(): ShardState | null {
    return this.meta<ShardState>("state");
  }

  putState(state: ShardState): void {
    this.putMeta("state", state);
  }

  status(): PushedStatus | null {
    return this.meta<PushedStatus>("status");
  }

  putStatus(status: PushedStatus): void {
    this.putMeta("status", status);
  }

  prior(userKey: string, requestId: string): DrawResult | null {
    const row = this.sql.exec<{ result: string }>("SELECT result FROM draws WHERE user_key = ? AND request_id = ?", userKey, requestId).toArray()[0];
    return row ? (JSON.parse(row.result) as DrawResult) : null;
  }

  userDraws(userKey: string): number {
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM draws WHERE user_key = ?", userKey).one().n;
  }

  putDraw(userKey: string, requestId: string, drawNo: number, prizeId: string | null, result: DrawResult): void {
    this.sql.exec(
      "INSERT INTO draws (user_key, request_id, draw_no, prize_id, result, at) VALUES (?, ?, ?, ?, ?, ?)",
      userKey,
      requestId,
      drawNo,
      prizeId,
      JSON.stringify(result),
      Date.now(),
    );
  }

  payout(drawId: string): PayoutRecord | null {
    const row = this.sql.exec<{ record: string }>("SELECT record FROM payouts WHERE draw_id = ?", drawId).toArray()[0];
    return row ? (JSON.parse(row.record) as PayoutRecord) : null;
  }

  /** Every payout record of the shard, in draw id order (for reconciliation with the provider). */
  payouts(): PayoutRecord[] {
    return this.sql
      .exec<{ record: string }>("SELECT record FROM payouts ORDER BY draw_id")
      .toArray()
      .map((row) => JSON.parse(row.record) as PayoutRecord);
  }

  /** Inserts or rewrites a payout row; `saga_started` is kept on a rewrite. */
  putPayout(record: PayoutRecord): void {
    this.sql.exec(
      `INSERT INTO payouts (draw_id, prize_id, amount, state, saga_started, record) VALUES (?, ?, ?, ?, 0, ?)
       ON CONFLICT (draw_id) DO UPDATE SET state = excluded.state, record = excluded.record`,
      record.drawId,
      record.prizeId,
      record.amount,
      record.state,
      JSON.stringify(record),
    );
  }

  markSagaStarted(drawId: string): void {
    this.sql.exec("UPDATE payouts SET saga_started = 1 WHERE draw_id = ?", drawId);
  }

  /** Reserved payouts whose saga has not been started (the start failed, or the object restarted first). */
  unstartedPayouts(): PayoutRecord[] {
    return this.sql
      .exec<{ record: string }>("SELECT record FROM payouts WHERE saga_started = 0 AND state = 'reserved'")
      .toArray()
      .map((row) => JSON.parse(row.record) as PayoutRecord);
  }

  /** Written before the coordinator is asked: an ask whose answer is lost is retried under the same id. */
  putPendingGrant(grantId: string, need: Stock): void {
    this.sql.exec("INSERT INTO grants (grant_id, need, granted, at) VALUES (?, ?, NULL, ?)", grantId, JSON.stringify(need), Date.now());
  }

  pendingGrants(): { grantId: string; need: Stock }[] {
    return this.sql
      .exec<{ grant_id: string; need: string }>("SELECT grant_id, need FROM grants WHERE granted IS NULL ORDER BY at")
      .toArray()
      .map((row) => ({ grantId: row.grant_id, need: JSON.parse(row.need) as Stock }));
  }

  /** Marks a grant answered; false when it already was (its stock must not be added twice). */
  answerGrant(grantId: string, granted: Stock): boolean {
    return this.sql.exec("UPDATE grants SET granted = ? WHERE grant_id = ? AND granted IS NULL", JSON.stringify(granted), grantId).rowsWritten > 0;
  }

  dropGrant(grantId: string): void {
    this.sql.exec("DELETE FROM grants WHERE grant_id = ? AND granted IS NULL", grantId);
  }

  /** The sums of the shard's rows; `left` and `granted` come from the state. */
  ledger(state: ShardState): ShardLedger {
    const count = (query: string) => this.sql.exec<{ n: number }>(query).one().n;
    const byPrize = (query: string) =>
      Object.fromEntries(
        this.sql
          .exec<{ prize_id: string; n: number }>(query)
          .toArray()
          .map((row) => [row.prize_id, row.n]),
      );
    const money = (state: string): MoneyCount => {
      const row = this.sql
        .exec<{ n: number; amount: number }>("SELECT COUNT(*) AS n, COALESCE(SUM(amount), 0) AS amount FROM payouts WHERE state = ?", state)
        .one();
      return { count: row.n, amount: row.amount };
    };
    return {
      shard: state.shard,
      draws: count("SELECT COUNT(*) AS n FROM draws"),
      wins: byPrize("SELECT prize_id, COUNT(*) AS n FROM draws WHERE prize_id IS NOT NULL GROUP BY prize_id"),
      releasedWins: byPrize("SELECT prize_id, COUNT(*) AS n FROM payouts WHERE state = 'released' GROUP BY prize_id"),
      cash: { reserved: money("reserved"), paid: money("paid"), released: money("released") },
      left: state.stock,
      granted: state.granted,
      pendingGrants: count("SELECT COUNT(*) AS n FROM grants WHERE granted IS NULL"),
      payoutLatency: { paid: this.latency("paid"), released: this.latency("released") },
    };
  }

  /** Reservation to settlement of the payouts in `state` (the times are in the record). */
  private latency(state: "paid" | "released"): LatencyFigures {
    const rows = this.sql
      .exec<{ ms: number | null }>(
        "SELECT json_extract(record, '$.settledAt') - json_extract(record, '$.reservedAt') AS ms FROM payouts WHERE state = ?",
        state,
      )
      .toArray();
    return latencyOf(rows.flatMap((row) => (row.ms === null ? [] : [row.ms])));
  }
}
