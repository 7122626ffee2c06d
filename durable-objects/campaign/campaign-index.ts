import { DurableObject } from "cloudflare:workers";
import type { Env } from "../../platform/env.js";
import type { AdminStatus } from "../../src/campaign/status.js";
import { bundledCampaigns } from "./bundled-campaigns.js";

/** One campaign in the admin list. */
export interface CampaignIndexEntry {
  id: string;
  name: string;
  startsAt: string;
  endsAt: string;
  adminStatus: AdminStatus;
  createdAt: number;
}

const SCHEMA = `CREATE TABLE IF NOT EXISTS campaigns (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, starts_at TEXT NOT NULL, ends_at TEXT NOT NULL,
  admin_status TEXT NOT NULL, created_at INTEGER NOT NULL
) WITHOUT ROWID`;

interface Row extends Record<string, SqlStorageValue> {
  id: string;
  name: string;
  starts_at: string;
  ends_at: string;
  admin_status: string;
  created_at: number;
}

/**
 * The list of campaigns for the admin API: one small object named "campaign-index", written by
 * admin routes after the coordinator changed, read by `GET /v1/admin/campaigns`. No draw ever
 * touches it. Bundled campaigns are listed from the start (their coordinator creates them on
 * first use). The coordinator stays the truth: this is a directory.
 */
export class CampaignIndex extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec(SCHEMA);
    for (const campaign of bundledCampaigns().values()) {
      this.insertIfAbsent({ id: campaign.id, name: campaign.name, startsAt: campaign.startsAt, endsAt: campaign.endsAt, adminStatus: "active", createdAt: 0 });
    }
  }

  /** Adds a campaign, or updates its status; the first `createdAt` stays. */
  put(entry: CampaignIndexEntry): void {
    this.insertIfAbsent(entry);
    this.ctx.storage.sql.exec("UPDATE campaigns SET admin_status = ? WHERE id = ?", entry.adminStatus, entry.id);
  }

  list(): CampaignIndexEntry[] {
    return this.ctx.storage.sql
      .exec<Row>("SELECT * FROM campaigns ORDER BY id")
      .toArray()
      .map((row) => ({
        id: row.id,
        name: row.name,
        startsAt: row.starts_at,
        endsAt: row.ends_at,
        adminStatus: row.admin_status as AdminStatus,
        createdAt: row.created_at,
      }));
  }

  private insertIfAbsent(entry: CampaignIndexEntry): void {
    this.ctx.storage.sql.exec(
      "INSERT OR IGNORE INTO campaigns (id, name, starts_at, ends_at, admin_status, created_at) VALUES (?, ?, ?, ?, ?, ?)",
      entry.id,
      entry.name,
      entry.startsAt,
      entry.endsAt,
      entry.adminStatus,
      entry.createdAt,
    );
  }
}
