/** The figures as a Markdown table: printed by `npm run chaos` and kept in docs/reliability.md. */
import type { FaultFigures } from "./figures.js";

/**
 * One row per fault. "5xx" is Parley's own (JSON errors from its code) and the runtime's (wrangler's
 * dev proxy) apart: only Parley's count against it.
 *
 * @example
 * figuresTable([]); // the header lines only
 */
export function figuresTable(rows: readonly FaultFigures[]): string {
  const lines = [
    "| fault | runs | acknowledged | lost | duplicated | reordered | unanswered | 5xx Parley / runtime | other violations | s |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const row of rows) {
    const cells = [row.fault, row.runs, row.acknowledged, row.lost, row.duplicated, row.reordered, row.unanswered, `${row.parley5xx} / ${row.runtime5xx}`];
    lines.push(`| ${[...cells, row.otherViolations, row.seconds.toFixed(0)].join(" | ")} |`);
  }
  return lines.join("\n");
}

/** Notes and violation details under the table, per fault. */
export function figuresNotes(rows: readonly FaultFigures[]): string {
  const out: string[] = [];
  for (const row of rows) {
    if (row.notes.length === 0 && row.details.length === 0) continue;
    out.push(`- **${row.fault}**`);
    for (const note of row.notes) out.push(`  - ${note}`);
    for (const detail of row.details) out.push(`  - VIOLATION ${detail}`);
  }
  return out.join("\n");
}
