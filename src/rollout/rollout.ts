import { z } from "zod";

export const versionNameSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._-]+$/, "only A-Z, a-z, 0-9, '.', '_' and '-'");

export const canaryGuardSchema = z.strictObject({
  maxFallbackRate: z.number().min(0).max(1).describe("roll back when fallbacks / turns exceeds this"),
  minTurns: z.number().int().min(1).describe("turns on the canary before the guard judges"),
});

export const canarySchema = z
  .strictObject({
    version: versionNameSchema,
    suffixes: z.array(z.string().min(1).max(32)).max(100).optional(),
    percent: z.number().min(0).max(100).optional(),
    guard: canaryGuardSchema.optional(),
  })
  .refine((canary) => canary.suffixes?.length || canary.percent !== undefined, {
    message: "a canary needs suffixes or percent",
  });

export const rolloutSchema = z
  .strictObject({
    stable: versionNameSchema,
    canary: canarySchema.optional(),
  })
  .refine((rollout) => rollout.canary?.version !== rollout.stable, {
    path: ["canary", "version"],
    message: "the canary must be another version than stable",
  });

export type Rollout = z.infer<typeof rolloutSchema>;
export type Canary = z.infer<typeof canarySchema>;
export type CanaryGuard = z.infer<typeof canaryGuardSchema>;
export type Cohort = "stable" | "canary";

/** Every version a rollout names: each must be published before the rollout may name it. */
export function versionsOf(rollout: Rollout): string[] {
  return rollout.canary ? [rollout.stable, rollout.canary.version] : [rollout.stable];
}

/** The rollout after a rollback: everybody on stable. */
export function withoutCanary(rollout: Rollout): Rollout {
  return { stable: rollout.stable };
}
