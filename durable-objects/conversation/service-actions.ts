import type { Env } from "../../platform/env.js";
import { userPseudonym } from "../../platform/pseudonym.js";
import { formatMoney } from "../../src/campaign/money.js";
import type { DrawResult } from "../../src/campaign/types.js";
import type { ActionOutcome } from "../../src/conversation/turn.js";
import type { ActionRequest, Json } from "../../src/dialog/index.js";
import { drawFromCampaign } from "../campaign/draw.js";

/** Who asks, for actions that reach a service on the user's behalf. */
export interface ActionContext {
  /** the user (the actor's name): the campaign pool keys draws by its pseudonym */
  userId: string;
  /** what makes this call unique and repeatable: the turn's clientMessageId, else its first seq */
  turnKey: string;
}

/**
 * Built-in actions with I/O, run by the actor rather than in memory: `campaign.draw` asks the
 * campaign's prize pool (durable-objects/campaign) for this user's draw. The request id is the
 * turn's key and the call's id, so a retried turn gets its first draw back, never a second one.
 * Null for any other action.
 */
export async function performServiceAction(request: ActionRequest, env: Env, context: ActionContext): Promise<ActionOutcome | null> {
  if (request.name !== "campaign.draw") return null;
  const campaignId = typeof request.args.campaign === "string" ? request.args.campaign : "";
  const language = request.args.language === "zh" ? "zh" : "en";
  const result = await drawFromCampaign(env, {
    campaignId,
    userKey: await userPseudonym(env, context.userId),
    requestId: `${context.turnKey}:${request.callId}`,
    conversationId: context.userId,
    language,
  });
  return { ok: true, result: drawAnswer(result) };
}

/**
 * The draw as a flow reads it: `outcome` (won, lost, limit, closed, exhausted), and for a win
 * `prize` (the prize id), `kind` (cash, coupon, item), `amount` in minor units and `amountText`
 * ("¥5.00"). A loss reads as prize "none".
 */
export function drawAnswer(result: DrawResult): Json {
  switch (result.outcome) {
    case "won": {
      const { prize } = result;
      return {
        outcome: "won",
        drawNo: result.drawNo,
        prize: prize.id,
        kind: prize.kind,
        amount: prize.amount,
        currency: prize.currency,
        amountText: formatMoney(prize.amount, prize.currency),
        label: prize.label,
      };
    }
    case "lost":
      return { outcome: "lost", drawNo: result.drawNo, prize: "none", kind: "none" };
    case "limit":
      return { outcome: "limit", draws: result.draws };
    case "closed":
      return { outcome: "closed", status: result.status };
    case "exhausted":
      return { outcome: "exhausted" };
    default:
      return result satisfies never;
  }
}
