import { describe, expect, it } from "vitest";
import { UsageError, parseArgs } from "../../../bench/args.js";

describe("parseArgs", () => {
  it("defaults to the full benchmark: every system and workload, three rounds, 20 s, 64 connections", () => {
    const options = parseArgs([]);
    expect(options).toMatchObject({
      smoke: false,
      micro: true,
      durationS: 20,
      warmupS: 5,
      connections: 64,
      rounds: 3,
      systems: ["parley", "baseline", "peer"],
      workloads: ["steady", "cold", "socket"],
      steadyUsers: 1_000,
      coldUsers: 10_000,
      sockets: 1_000,
    });
  });

  it("--smoke shortens every workload and shrinks the user counts", () => {
    const options = parseArgs(["--smoke"]);
    expect(options.smoke).toBe(true);
    expect(options.durationS).toBeLessThanOrEqual(3);
    expect(options.rounds).toBe(1);
    expect(options.steadyUsers).toBeLessThan(1_000);
    expect(options.coldUsers).toBeLessThan(10_000);
  });

  it("takes --flag value and --flag=value, and keeps the canonical order of lists", () => {
    const options = parseArgs(["--duration=30", "--only", "peer,parley", "--workloads=cold", "--no-micro", "--rounds", "1"]);
    expect(options.durationS).toBe(30);
    expect(options.systems).toEqual(["parley", "peer"]);
    expect(options.workloads).toEqual(["cold"]);
    expect(options.micro).toBe(false);
    expect(options.rounds).toBe(1);
    expect(options.ref).toBeUndefined();
    expect(parseArgs(["--ref", "HEAD~1"]).ref).toBe("HEAD~1");
    expect(() => parseArgs(["--ref"])).toThrow(/git ref/);
  });

  it("an explicit duration wins over --smoke", () => {
    expect(parseArgs(["--smoke", "--duration", "5"]).durationS).toBe(5);
  });

  it("refuses unknown flags, unknown names and bad numbers", () => {
    expect(() => parseArgs(["--fast"])).toThrow(UsageError);
    expect(() => parseArgs(["--only", "parley,nginx"])).toThrow(/unknown "nginx"/);
    expect(() => parseArgs(["--only", "parley-actor"])).toThrow(/unknown "parley-actor"/); // the probes left the tree
    expect(() => parseArgs(["--duration", "-1"])).toThrow(/positive number/);
    expect(() => parseArgs(["--duration"])).toThrow(/positive number/);
    expect(() => parseArgs(["--workloads", ""])).toThrow(UsageError);
  });
});

describe("--record-budget", () => {
  it("records only from a run that measures every pair over three rounds or more", () => {
    expect(parseArgs([]).recordBudget).toBe(false);
    expect(parseArgs(["--record-budget", "--ref", "HEAD"]).recordBudget).toBe(true);
    expect(parseArgs(["--rounds", "5", "--record-budget", "--only", "peer,parley,baseline"]).recordBudget).toBe(true);
    expect(() => parseArgs(["--rounds", "2", "--record-budget"])).toThrow(/--rounds 3/);
    expect(() => parseArgs(["--rounds", "3", "--record-budget", "--smoke"])).toThrow(UsageError);
    expect(() => parseArgs(["--rounds", "3", "--record-budget", "--only", "parley,baseline"])).toThrow(UsageError);
    expect(() => parseArgs(["--rounds", "3", "--record-budget", "--workloads", "steady,cold"])).toThrow(UsageError);
  });
});

describe("withoutAssets", () => {
  it("drops the [assets] table and keeps every other table and path as it was", async () => {
    const { withoutAssets } = await import("../../../bench/systems.js");
    const toml = [
      'name = "parley"',
      'main = "workers/index.ts"',
      "",
      "[assets]",
      'directory = "public"',
      'run_worker_first = ["/v1/*"]',
      "",
      "[[durable_objects.bindings]]",
      'name = "CONVERSATION"',
    ].join("\n");
    const derived = withoutAssets(toml);
    expect(derived).not.toContain("[assets]");
    expect(derived).not.toContain("run_worker_first");
    expect(derived).not.toContain('directory = "public"');
    expect(derived).toContain('main = "workers/index.ts"');
    expect(derived).toContain("[[durable_objects.bindings]]");
    expect(derived).toContain('name = "CONVERSATION"');
  });
});
