import { describe, expect, it } from "vitest";
import type { QueueStats } from "../../../src/handoff/stats.js";
import type { AdminHandoffAnswer } from "../../../src/protocol/admin-handoff.js";
import { adminHandoffAnswerSchema } from "../../../src/protocol/admin-handoff.js";

/** The handoff panel's formatting, as the browser loads it (public/admin/handoff-format.js). */
interface HandoffFormat {
  HANDOFF_COLUMNS: readonly string[];
  formatWait(seconds: number | null): string;
  formatSatisfaction(mean: number | null, ratings: number): string;
  handoffRowFigures(stats: QueueStats): Record<string, string>;
  handoffSummary(answer: AdminHandoffAnswer): string;
}

const page = (await import(new URL("../../../public/admin/handoff-format.js", import.meta.url).href)) as HandoffFormat;

const stats = (figures: Partial<QueueStats> = {}): QueueStats => ({
  waiting: 0,
  waitP50Seconds: null,
  waitP90Seconds: null,
  handled: 0,
  abandoned: 0,
  tickets: 0,
  agentsOnline: 0,
  satisfaction: null,
  ratings: 0,
  ...figures,
});

describe("admin page: the human handoff panel", () => {
  it("shows a queue's figures as text, one per column, '–' where there is nothing yet", () => {
    const busy = stats({
      waiting: 3,
      agentsOnline: 2,
      waitP50Seconds: 42,
      waitP90Seconds: 125,
      handled: 17,
      abandoned: 2,
      tickets: 1,
      satisfaction: 4.33,
      ratings: 6,
    });
    expect(page.handoffRowFigures(busy)).toEqual({
      waiting: "3",
      agents: "2",
      wait: "42 s / 2 min 5 s",
      handled: "17",
      abandoned: "2",
      tickets: "1",
      satisfaction: "4.3 / 5 (6)",
    });
    expect(Object.keys(page.handoffRowFigures(busy))).toEqual([...page.HANDOFF_COLUMNS]);
    expect(page.handoffRowFigures(stats())).toMatchObject({ wait: "– / –", satisfaction: "–" });
  });

  it("sums what needs people now, and says when figures are partial", () => {
    const answer = adminHandoffAnswerSchema.parse({
      generatedAt: 1,
      queues: [
        { bot: "shop", queue: "general", stats: stats({ waiting: 4 }) },
        { bot: "shop", queue: "orders", stats: stats({ waiting: 1, agentsOnline: 1 }) },
      ],
      unreachable: [{ bot: "shop", queue: "returns" }],
    });
    expect(page.handoffSummary(answer)).toBe("5 waiting in 2 queues · 1 with people waiting and no agent online · 1 not answering: figures are partial");
    expect(page.handoffSummary({ generatedAt: 1, queues: [], unreachable: [] })).toBe("0 waiting in 0 queues");
  });
});
