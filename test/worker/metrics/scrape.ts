import { expect } from "vitest";
import { call, tokenFor } from "../helpers.js";

/** One scrape of `GET /metrics`: sample values by `name{label="value",…}` exactly as rendered. */
export class Scrape {
  constructor(readonly text: string) {}

  /** A sample's value by its key as rendered, e.g. `parley_turns_total{bot="shop",version="1",cohort="stable"}`; 0 when absent. */
  get(key: string): number {
    const line = this.text.split("\n").find((candidate) => candidate.startsWith(`${key} `));
    return line === undefined ? 0 : Number(line.slice(key.length + 1));
  }

  /** Sum over every sample of a metric whose labels include `where`. */
  sum(name: string, where: Record<string, string> = {}): number {
    let total = 0;
    for (const line of this.text.split("\n")) {
      const match = /^([a-z_]+)(\{.*\})? (\S+)$/.exec(line);
      if (!match || match[1] !== name) continue;
      if (Object.entries(where).every(([label, value]) => (match[2] ?? "").includes(`${label}="${value}"`))) total += Number(match[3]);
    }
    return total;
  }
}

export const metricsAdmin = () => tokenFor("metrics-ops", ["admin"]);

export async function scrape(admin: string): Promise<Scrape> {
  const response = await call("/metrics", { token: admin });
  expect(response.status).toBe(200);
  return new Scrape(await response.text());
}

/**
 * Scrapes until `ready` holds. /metrics flushes its own isolate's batch before it reads, but a
 * batch a timer is sending at that moment lands a few ms later: polling absorbs that, and the
 * test then asserts exact counts (which also proves nothing is counted twice).
 */
export async function scrapeUntil(admin: string, ready: (scrape: Scrape) => boolean, timeoutMs = 10_000): Promise<Scrape> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await scrape(admin);
    if (ready(result)) return result;
    if (Date.now() > deadline) throw new Error(`metrics never got ready:\n${result.text}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** How far each sample moved between two scrapes. */
export function deltas(before: Scrape, after: Scrape, keys: readonly string[]): Record<string, number> {
  return Object.fromEntries(keys.map((key) => [key, after.get(key) - before.get(key)]));
}

/**
 * Polls until every sample has moved at least as far as `expected` says since `before`, then
 * returns how far each moved: the caller asserts they moved exactly that far.
 */
export async function movedBy(admin: string, before: Scrape, expected: Record<string, number>): Promise<Record<string, number>> {
  const keys = Object.keys(expected);
  const after = await scrapeUntil(admin, (now) => keys.every((key) => now.get(key) - before.get(key) >= (expected[key] ?? 0)));
  return deltas(before, after, keys);
}
