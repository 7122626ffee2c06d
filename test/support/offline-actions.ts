import type { ActionOutcome } from "../../src/conversation/turn.js";
import type { ActionRequest } from "../../src/dialog/index.js";
import { builtinActions } from "../../src/dialog/index.js";

/**
 * How the pure engine's tests, the conversation test set and the benchmarks run a `call`
 * without a Worker: the in-memory built-ins, and for `campaign.draw` — in the Worker a draw
 * from the campaign's prize pool (durable-objects/campaign, tested in test/worker/campaign) —
 * a stand-in that awards a coupon, so the flow after the draw runs as it does for a winner.
 */
export function offlineAction(action: ActionRequest): ActionOutcome {
  if (action.name === "campaign.draw") {
    return { ok: true, result: { outcome: "won", drawNo: 1, prize: "coupon-10", kind: "coupon", amount: 0, currency: "CNY", amountText: "¥0.00" } };
  }
  const builtin = builtinActions[action.name];
  return builtin ? { ok: true, result: builtin(action.args) } : { ok: false, error: `no performer for ${action.kind} ${action.name}` };
}
