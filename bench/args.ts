/** Command-line options of `npm run bench`: parsed by a pure function, so they are unit-tested. */

export const SYSTEMS = ["parley", "baseline", "peer"] as const;
export type SystemName = (typeof SYSTEMS)[number];

export const WORKLOADS = ["steady", "cold", "socket"] as const;
export type WorkloadName = (typeof WORKLOADS)[number];

export interface BenchOptions {
  smoke: boolean;
  /** measured seconds per workload */
  durationS: number;
  /** unmeasured seconds before each measurement */
  warmupS: number;
  connections: number;
  systems: SystemName[];
  workloads: WorkloadName[];
  /** steady: warm users */
  steadyUsers: number;
  /** cold: at least this many distinct new users within the measurement */
  coldUsers: number;
  /** socket: open WebSockets */
  sockets: number;
  /** run the dialog-step and cold-start microbenchmarks too */
  micro: boolean;
  /** repeat every measurement, systems interleaved; figures are medians, ratios the median of the rounds' */
  rounds: number;
  /** serve this git ref instead of the working tree */
  ref?: string;
  /** write this run's figures to bench/budget.json as the turn path's new budget */
  recordBudget: boolean;
}

/**
 * Rounds of a full run, and the fewest that judge the targets or record a budget: one round's
 * ratio swings with the other work on the machine (bench/README.md).
 */
export const FULL_ROUNDS = 3;

export class UsageError extends Error {
  override readonly name = "UsageError";
}

export const USAGE = `usage: npm run bench -- [--smoke] [--duration S] [--warmup S] [--connections N]
                       [--only parley,baseline,peer] [--workloads steady,cold,socket] [--rounds N] [--ref REF] [--no-micro] [--record-budget]
  --smoke        a few seconds per workload and fewer users (CI); results go to bench/out/
  --duration S   measured seconds per workload (default 20, smoke 1.5)
  --warmup S     unmeasured seconds before each measurement (default 5, smoke 0.5)
  --connections  concurrent connections / turns in flight (default 64)
  --only         systems to run (default parley,baseline,peer)
  --workloads    workloads to run (default all three; socket runs for parley and peer only)
  --rounds N     repeat each measurement N times, systems interleaved; report medians (default ${FULL_ROUNDS}, smoke 1)
  --ref REF      serve a git ref (e.g. HEAD) instead of a copy of the working tree
  --no-micro     skip the dialog-step and cold-start microbenchmarks
  --record-budget  make this run's figures the turn path's budget (bench/budget.json): every
                 system and workload, ${FULL_ROUNDS}+ rounds, once a change to the turn path is accepted`;

function positive(flag: string, value: string | undefined): number {
  const parsed = Number(value);
  if (value === undefined || value === "" || !Number.isFinite(parsed) || parsed <= 0) {
    throw new UsageError(`${flag} needs a positive number, got ${value === undefined ? "nothing" : JSON.stringify(value)}`);
  }
  return parsed;
}

function listOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T[] {
  if (value === undefined || value.trim() === "") throw new UsageError(`${flag} needs a comma-separated list of ${allowed.join(", ")}`);
  const picked: T[] = [];
  for (const raw of value.split(",")) {
    const name = raw.trim();
    const known = allowed.find((candidate) => candidate === name);
    if (known === undefined) throw new UsageError(`${flag}: unknown "${name}" (known: ${allowed.join(", ")})`);
    if (!picked.includes(known)) picked.push(known);
  }
  // Keep the canonical order whatever order the list was given in: the table reads the same.
  return allowed.filter((name) => picked.includes(name));
}

/**
 * Parses the arguments after `npm run bench --`. Accepts `--flag value` and `--flag=value`.
 *
 * @example
 * parseArgs(["--smoke", "--only", "baseline"]).systems; // ["baseline"]
 */
export function parseArgs(argv: readonly string[]): BenchOptions {
  const args: string[] = [];
  for (const arg of argv) {
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    if (eq > 0) args.push(arg.slice(0, eq), arg.slice(eq + 1));
    else args.push(arg);
  }
  let smoke = false;
  let micro = true;
  let recordBudget = false;
  let durationS: number | undefined;
  let warmupS: number | undefined;
  let connections = 64;
  let rounds: number | undefined;
  let ref: string | undefined;
  let systems: SystemName[] = [...SYSTEMS];
  let workloads: WorkloadName[] = [...WORKLOADS];
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    const value = (): string | undefined => args[++i];
    switch (flag) {
      case "--smoke":
        smoke = true;
        break;
      case "--no-micro":
        micro = false;
        break;
      case "--record-budget":
        recordBudget = true;
        break;
      case "--duration":
        durationS = positive(flag, value());
        break;
      case "--warmup":
        warmupS = positive(flag, value());
        break;
      case "--connections":
        connections = Math.round(positive(flag, value()));
        break;
      case "--rounds":
        rounds = Math.round(positive(flag, value()));
        break;
      case "--ref": {
        const given = value();
        if (given === undefined || given === "" || given.startsWith("-")) throw new UsageError("--ref needs a git ref, e.g. HEAD");
        ref = given;
        break;
      }
      case "--only":
        systems = listOf(flag, value(), SYSTEMS);
        break;
      case "--workloads":
        workloads = listOf(flag, value(), WORKLOADS);
        break;
      case "--help":
      case "-h":
        throw new UsageError(USAGE);
      default:
        throw new UsageError(`unknown argument ${JSON.stringify(flag)}\n${USAGE}`);
    }
  }
  rounds ??= smoke ? 1 : FULL_ROUNDS;
  if (recordBudget) checkBudgetRecord({ smoke, rounds, systems, workloads });
  return {
    smoke,
    micro,
    recordBudget,
    durationS: durationS ?? (smoke ? 1.5 : 20),
    warmupS: warmupS ?? (smoke ? 0.5 : 5),
    connections,
    rounds,
    systems,
    workloads,
    steadyUsers: smoke ? 50 : 1_000,
    coldUsers: smoke ? 200 : 10_000,
    // smoke: enough sockets that none outruns the per-user budget (30 turns, then 2 a second)
    sockets: smoke ? 200 : 1_000,
    ...(ref === undefined ? {} : { ref }),
  };
}

/** A budget is recorded from a run that measures every pair it holds, over enough rounds. */
function checkBudgetRecord(run: { smoke: boolean; rounds: number; systems: readonly SystemName[]; workloads: readonly WorkloadName[] }): void {
  const partial = !SYSTEMS.every((system) => run.systems.includes(system)) || run.workloads.length < WORKLOADS.length;
  if (run.smoke || partial || run.rounds < FULL_ROUNDS) {
    throw new UsageError(`--record-budget needs every system and workload, no --smoke, and --rounds ${FULL_ROUNDS} or more`);
  }
}
