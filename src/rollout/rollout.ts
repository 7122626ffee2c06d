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

export const rolloutSchema = z.strictObject({
  stable: versionNameSchema,
  canary: canarySchema.optional(),
});

export type Rollout = z.infer<typeof rolloutSchema>;
export type Cohort = "stable" | "canary";
