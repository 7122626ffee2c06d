import type { CampaignDefinition } from "./schema.js";

/** What an admin sets: `ended` is final. */
export type AdminStatus = "active" | "paused" | "ended";

/** What a user meets: the admin's status with the clock's say (before `startsAt`, from `endsAt`). */
export type CampaignStatus = "scheduled" | "active" | "paused" | "ended";

/**
 * @example
 * campaignStatus(spring, "paused", Date.parse(spring.endsAt)); // "ended": the clock wins over a pause
 */
export function campaignStatus(definition: Pick<CampaignDefinition, "startsAt" | "endsAt">, admin: AdminStatus, now: number): CampaignStatus {
  if (admin === "ended" || now >= Date.parse(definition.endsAt)) return "ended";
  if (now < Date.parse(definition.startsAt)) return "scheduled";
  return admin;
}

/** Whether an admin may move a campaign from one status to another: nothing leaves `ended`. */
export function canChangeStatus(from: AdminStatus, to: AdminStatus): boolean {
  return from !== "ended" || to === "ended";
}
