import type { Env } from "../../platform/env.js";
import { payoutInstanceId } from "../../src/campaign/payout-id.js";
import type { PayoutParams } from "../../src/campaign/types.js";

/** Workflows answers a second create() of one id with an error in production (locally it may return quietly). */
function alreadyExists(error: unknown): boolean {
  return /already exists|already_exists|duplicate/i.test(String(error));
}

/**
 * Starts the payout saga of a cash win, once: an instance that exists is done, and so is a
 * create() refused because it exists (another start won the race). Relies on neither the local
 * quiet repeat nor the production error alone. Anything else throws: the shard's alarm retries.
 */
export async function startPayout(env: Pick<Env, "PAYOUTS">, params: PayoutParams): Promise<void> {
  const id = await payoutInstanceId(params.drawId);
  try {
    await env.PAYOUTS.get(id);
    return;
  } catch {
    // not found (or not known yet): create it below
  }
  try {
    await env.PAYOUTS.create({ id, params });
  } catch (error) {
    if (!alreadyExists(error)) throw error;
  }
}
