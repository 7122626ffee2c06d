import type { CampaignDefinition } from "../../src/campaign/schema.js";
import type { AdminStatus } from "../../src/campaign/status.js";
import type { Stock } from "../../src/campaign/stock.js";
import { EMPTY_STOCK, addStock } from "../../src/campaign/stock.js";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS grants (grant_id TEXT PRIMARY KEY, shard INTEGER NOT NULL, granted TEXT NOT NULL, at INTEGER NOT NULL) WITHOUT ROWID;
`;

/** What the coordinator holds about its campaign, besides its grants. */
export interface CoordinatorState {
  definition: CampaignDefinition;
  /** canonical JSON of the definition: a repeated create compares by it */
  canonical: string;
  adminStatus: AdminStatus;
  /** raised by every status change: shards apply only newer versions */
  statusVersion: number;
  remainder: Stock;
  createdAt: number;
}

/** The coordinator's SQLite storage: one row of state as JSON, and the grants by id. */
export class CoordinatorStore {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(SCHEMA);
  }

  /** The one row cast of this store: the state row is only written by `putState`. */
  state(): CoordinatorState | null {
    const row = this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'state'").toArray()[0];
    return row ? (JSON.parse(row.value) as CoordinatorState) : null;
  }

  putState(state: CoordinatorState): void {
    this.sql.exec("INSERT INTO meta (key, value) VALUES ('state', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", JSON.stringify(state));
  }

  grant(grantId: string): Stock | null {
    const row = this.sql.exec<{ granted: string }>("SELECT granted FROM grants WHERE grant_id = ?", grantId).toArray()[0];
    return row ? (JSON.parse(row.granted) as Stock) : null;
  }

  putGrant(grantId: string, shard: number, granted: Stock): void {
    this.sql.exec("INSERT INTO grants (grant_id, shard, granted, at) VALUES (?, ?, ?, ?)", grantId, shard, JSON.stringify(granted), Date.now());
  }

  /** The sum of the grants each shard got, indexed by shard. */
  grantedByShard(shards: number): Stock[] {
    const sums = Array.from({ length: shards }, (): Stock => EMPTY_STOCK);
    for (const row of this.sql.exec<{ shard: number; granted: string }>("SELECT shard, granted FROM grants")) {
      sums[row.shard] = addStock(sums[row.shard] ?? EMPTY_STOCK, JSON.parse(row.granted) as Stock);
    }
    return sums;
  }
}
