import type { Env } from "../../platform/env.js";
import type { PayoutParams } from "../../src/campaign/types.js";

/**
 * The payout saga's instance id of a win: "payout-" and the SHA-256 of the draw id, base64url
 * (50 characters of [A-Za-z0-9_-]). Deterministic, so every retry of a start names the same
 * instance: one payout per win, whatever is retried.
 */
export async function payoutInstanceId(drawId: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(drawId)));
  const base64 = btoa(String.fromCharCode(...digest));
  return `payout-${base64.replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "")}`;
}

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
