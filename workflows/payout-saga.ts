import type { WorkflowEvent, WorkflowStep } from "cloudflare:workers";
import { WorkflowEntrypoint } from "cloudflare:workers";
import type { Env } from "../platform/env.js";
import type { PayoutParams } from "../src/campaign/types.js";

/** The payout saga of one cash win (docs/campaigns.md). Work in progress: the steps land next. */
export class PayoutSaga extends WorkflowEntrypoint<Env, PayoutParams> {
  override async run(event: WorkflowEvent<PayoutParams>, step: WorkflowStep): Promise<{ drawId: string }> {
    return step.do("check reservation", async () => ({ drawId: event.payload.drawId }));
  }
}
