/**
 * The estimated Cloudflare bill per million Parley turns: what a run measured per turn, priced
 * at the Workers Paid plan's published rates. Pure, unit-tested; the method, its sources and its
 * assumptions are in bench/README.md → "The bill".
 */

import type { Block, WorkloadResult } from "./report.js";
import { fixed } from "./report.js";

/**
 * Workers Paid plan list prices in US dollars, each per million units beyond the monthly
 * allowance (developers.cloudflare.com: workers/platform/pricing, durable-objects/platform/pricing).
 * Past the allowances is the price of one more million turns; the $5 subscription and the
 * allowances themselves are left out.
 */
export const PRICES = {
  /** Worker requests, beyond 10 million a month */
  workerRequests: 0.3,
  /** Worker CPU milliseconds, beyond 30 million a month */
  workerCpuMs: 0.02,
  /** Durable Object requests (each RPC call, each alarm), beyond 1 million a month */
  objectRequests: 0.15,
  /** Durable Object duration in GB-s, beyond 400,000 a month */
  objectGbSeconds: 12.5,
  /** SQLite rows written by Durable Objects (deletes and `setAlarm` included), beyond 50 million a month */
  rowsWritten: 1,
} as const;

/** Duration is billed for 128 MB per active object, whatever it uses. */
export const OBJECT_MEMORY_GB = 128 / 1024;

export type Prices = { readonly [K in keyof typeof PRICES]: number };

/** What one successful turn used. */
export interface TurnUsage {
  workerRequests: number;
  workerCpuMs: number;
  objectRequests: number;
  /** seconds its actor was active */
  objectSeconds: number;
  rowsWritten: number;
}

/**
 * A turn's usage as a run measured it. Requests: every request sent (failed ones are billed
 * too) per successful turn, each one RPC to the user's actor, plus the alarms the actors set.
 * CPU: all of the runtime's CPU (the Worker's and the actors'), so an upper bound of the Worker's
 * billed CPU; the same time stands in for the actor's active time (it only computes; production's
 * wait for a storage commit is not seen locally). Rows: counted in the actors' databases (rows.ts).
 */
export function turnUsage(result: WorkloadResult): TurnUsage {
  const requests = result.turns > 0 ? (result.turns + result.errors) / result.turns : Number.NaN;
  return {
    workerRequests: requests,
    workerCpuMs: result.cpuMsPerTurn,
    objectRequests: requests + (result.alarmsPerTurn ?? 0),
    objectSeconds: result.cpuMsPerTurn / 1000,
    rowsWritten: result.rowsPerTurn ?? Number.NaN,
  };
}

export interface Bill {
  workerRequests: number;
  workerCpu: number;
  objectRequests: number;
  objectDuration: number;
  rowsWritten: number;
  /** NaN when a part was not measured */
  total: number;
}

/** Dollars per million turns: a price per million units times units per turn. */
export function billPerMillionTurns(usage: TurnUsage, prices: Prices = PRICES): Bill {
  const bill = {
    workerRequests: usage.workerRequests * prices.workerRequests,
    workerCpu: usage.workerCpuMs * prices.workerCpuMs,
    objectRequests: usage.objectRequests * prices.objectRequests,
    objectDuration: usage.objectSeconds * OBJECT_MEMORY_GB * prices.objectGbSeconds,
    rowsWritten: usage.rowsWritten * prices.rowsWritten,
  };
  return { ...bill, total: Object.values(bill).reduce((sum, part) => sum + part, 0) };
}

function dollars(value: number, digits = 3): string {
  return Number.isFinite(value) ? `$${value.toFixed(digits)}` : "not measured";
}

/** One workload's bill and what it is made of. */
export function billLine(workload: string, usage: TurnUsage, bill: Bill): string {
  return (
    `${workload}: ${dollars(bill.total, 2)} = Worker requests ${dollars(bill.workerRequests)} (${fixed(usage.workerRequests, 3)}/turn)` +
    ` + Worker CPU ${dollars(bill.workerCpu)} (${fixed(usage.workerCpuMs, 2)} ms/turn)` +
    ` + DO requests ${dollars(bill.objectRequests)} (${fixed(usage.objectRequests, 3)}/turn)` +
    ` + DO duration ${dollars(bill.objectDuration)} (128 MB × ${fixed(usage.objectSeconds * 1000, 2)} ms/turn)` +
    ` + rows written ${dollars(bill.rowsWritten)} (${fixed(usage.rowsWritten, 2)}/turn)`
  );
}

/** The bill of Parley's HTTP turns, steady and cold, as far as the run measured them. */
export function billBlock(results: readonly WorkloadResult[]): Block {
  const lines: string[] = [];
  for (const workload of ["steady", "cold"] as const) {
    const parley = results.find((result) => result.system === "parley" && result.workload === workload && result.status === "ok");
    if (!parley) continue;
    const usage = turnUsage(parley);
    lines.push(billLine(workload, usage, billPerMillionTurns(usage)));
  }
  return { title: "estimated Cloudflare bill per million Parley turns (Workers Paid list prices past the allowances; method: bench/README.md):", lines };
}
