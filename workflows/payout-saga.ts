import type { WorkflowEvent, WorkflowStep } from "cloudflare:workers";
import { WorkflowEntrypoint } from "cloudflare:workers";
import { campaignMetrics } from "../platform/campaign-metrics.js";
import type { Env } from "../platform/env.js";
import { applyLogLevel, logEvent } from "../platform/log.js";
import { paymentProviderOf } from "../platform/payments.js";
import type { PayoutSagaOutput } from "../src/campaign/payout-saga-plan.js";
import type { PayoutPorts, SagaSteps } from "../src/campaign/payout-saga-run.js";
import { runPayoutSaga } from "../src/campaign/payout-saga-run.js";
import { shardName } from "../src/campaign/shard-of.js";
import type { PayoutParams } from "../src/campaign/types.js";
import type { PaymentCallback } from "../src/payments/callback.js";

/**
 * The payout saga of one cash win (docs/campaigns.md → The payout saga), one instance per win
 * named `payoutInstanceId(drawId)`. The steps and every decision are in
 * src/campaign/payout-saga-run.ts; this shell lends them the Workflow's durable steps and the
 * Worker's bindings.
 */
export class PayoutSaga extends WorkflowEntrypoint<Env, PayoutParams> {
  override async run(event: WorkflowEvent<PayoutParams>, step: WorkflowStep): Promise<PayoutSagaOutput> {
    applyLogLevel(this.env.LOG_LEVEL);
    const metrics = campaignMetrics(this.env);
    const { campaignId } = event.payload;
    const output = await runPayoutSaga(
      event.payload,
      portsOf(this.env, event.payload),
      stepsOf(step, (name) => metrics.sagaRetry(campaignId, name)),
    );
    // Paid and failed payouts are counted by the shard as their records change; an unsettled one
    // changes no record. Counted inside a step: run() replays from the top after a restart.
    if (output.outcome === "unsettled") await step.do("count unsettled", async () => metrics.payout(campaignId, "unsettled"));
    // An unsettled win needs an operator (docs/campaigns.md); the line repeats if the run is replayed.
    const { drawId, outcome, ...rest } = output;
    logEvent(outcome === "unsettled" ? "warn" : "info", "payout saga ended", { campaign: event.payload.campaignId, drawId, outcome, ...rest });
    return output;
  }
}

function portsOf(env: Env, params: PayoutParams): PayoutPorts {
  // A fresh stub per call: a stub whose object restarted (a deploy, an eviction) would keep failing.
  const shard = () => env.CAMPAIGN_SHARD.getByName(shardName(params.campaignId, params.shard));
  return {
    payout: (drawId) => shard().payout(drawId),
    settle: (drawId, providerRef) => shard().settle(drawId, providerRef),
    release: (drawId, reason) => shard().release(drawId, reason),
    provider: () => paymentProviderOf(env),
    notify: (record, notice) => env.CONVERSATION.getByName(record.conversationId).payoutNotice(notice),
    ...(env.PAYMENT_CALLBACK_URL ? { callbackUrl: env.PAYMENT_CALLBACK_URL } : {}),
  };
}

/** The Workflow's steps for the saga; `failed(step)` hears of every attempt that threw (the step retries it while it may). */
function stepsOf(step: WorkflowStep, failed: (name: string) => void): SagaSteps {
  const counted =
    <T>(name: string, run: () => Promise<T>) =>
    async (): Promise<T> => {
      try {
        return await run();
      } catch (error) {
        failed(name);
        throw error;
      }
    };
  return {
    // The saga's step results are records, payment answers and booleans, all structured-cloneable;
    // `step.do` asks the compiler to prove it for a generic T, which it cannot: the one cast.
    do: (name, config, run) => step.do(name, config, counted(name, run) as () => Promise<never>),
    // What the callback route sends; runPayoutSaga checks it again before trusting it.
    waitForEvent: async (name, options) => (await step.waitForEvent<PaymentCallback>(name, options)).payload,
  };
}
