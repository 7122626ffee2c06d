import type { CampaignView } from "../../../durable-objects/campaign/campaign-coordinator.js";
import type { Env } from "../../../platform/env.js";
import { paymentProviderOf } from "../../../platform/payments.js";
import { payoutIdempotencyKey } from "../../../src/campaign/payout-id.js";
import type { ProviderCheck } from "../../../src/campaign/provider-reconcile.js";
import { compareWithProvider } from "../../../src/campaign/provider-reconcile.js";
import { shardName } from "../../../src/campaign/shard-of.js";
import type { PayoutRecord } from "../../../src/campaign/types.js";
import type { PaymentStatus } from "../../../src/payments/provider.js";

/** Status lookups in flight at once: a reconciliation must not become the provider's flash crowd. */
const LOOKUPS_AT_ONCE = 16;

/**
 * Every cash win of a campaign, from every shard, against the provider's state of its
 * idempotency key (`GET /v1/admin/campaigns/:campaign/reconcile?provider=true`). A lookup that
 * fails is reported as `unreachable`, never skipped.
 */
export async function checkWithProvider(env: Env, view: CampaignView): Promise<ProviderCheck> {
  const { id, shards } = view.definition;
  const records = (await Promise.all(Array.from({ length: shards }, (_, shard) => env.CAMPAIGN_SHARD.getByName(shardName(id, shard)).payouts()))).flat();
  const statuses = await lookUp(env, records);
  return compareWithProvider(records.map((record, index) => ({ record, status: statuses[index] ?? null })));
}

async function lookUp(env: Env, records: readonly PayoutRecord[]): Promise<(PaymentStatus | null)[]> {
  const out: (PaymentStatus | null)[] = new Array(records.length).fill(null);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < records.length; index = next++) {
      const record = records[index];
      if (!record) continue;
      try {
        out[index] = await paymentProviderOf(env).status(await payoutIdempotencyKey(record.drawId));
      } catch {
        out[index] = null;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(LOOKUPS_AT_ONCE, records.length) }, worker));
  return out;
}
