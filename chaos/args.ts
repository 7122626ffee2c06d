/** `npm run chaos` flags. */
import { parseArgs } from "node:util";

/** The parts of the soak's mix beside its REST and socket turns (chaos/soak-mix.ts). */
export const SOAK_PARTS = ["streams", "voice", "draws"] as const;
export type SoakPart = (typeof SOAK_PARTS)[number];

export interface ChaosArgs {
  smoke: boolean;
  /** faults to run, by name; empty: all */
  only: string[];
  seed: number;
  /** minutes of mixed load after the faults, sampling memory and p99 per minute (0: none) */
  soakMinutes: number;
  /** parts of the soak's mix left out (`--soak-without draws`): which of them costs the time? */
  soakWithout: SoakPart[];
  /** write docs/reliability.md (a full run does unless --no-doc; a smoke or partial run only when asked) */
  writeDoc: boolean;
}

export function parseChaosArgs(argv: readonly string[]): ChaosArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      smoke: { type: "boolean", default: false },
      only: { type: "string", default: "" },
      seed: { type: "string" },
      "soak-minutes": { type: "string", default: "0" },
      "soak-without": { type: "string", default: "" },
      doc: { type: "boolean" },
      "no-doc": { type: "boolean", default: false },
    },
  });
  const only = values.only === "" ? [] : values.only.split(",").map((name) => name.trim());
  const seed = values.seed === undefined ? Date.now() % 1_000_000 : Number(values.seed);
  const soakMinutes = Number(values["soak-minutes"]);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got ${values.seed}`);
  if (!(soakMinutes >= 0)) throw new Error(`--soak-minutes must be ≥ 0, got ${values["soak-minutes"]}`);
  const soakWithout = values["soak-without"] === "" ? [] : values["soak-without"].split(",").map((name) => name.trim());
  const unknown = soakWithout.filter((name) => !(SOAK_PARTS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`--soak-without knows ${SOAK_PARTS.join(", ")}; got ${unknown.join(", ")}`);
  // A soak with a part left out is a diagnosis, not the published figures.
  const complete = !values.smoke && only.length === 0 && soakWithout.length === 0;
  return {
    smoke: values.smoke,
    only,
    seed,
    soakMinutes,
    soakWithout: soakWithout as SoakPart[],
    writeDoc: values.doc === true || (complete && !values["no-doc"]),
  };
}
