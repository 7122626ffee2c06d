import type { TurnVerdict } from "./evaluate.js";
import type { Language, Split } from "./schema.js";

export interface Score {
  right: number;
  total: number;
  /** right / total, 0 when there is nothing to score */
  accuracy: number;
}

/** Right turns over all turns, per split and language (`all` = every language together). */
export type ScoreTable = Record<Split, Record<Language | "all", Score>>;

/** Turn accuracy of the verdicts, per split and per language. */
export function scoreVerdicts(verdicts: readonly TurnVerdict[]): ScoreTable {
  const empty = (): Record<Language | "all", Score> => ({ en: score(0, 0), zh: score(0, 0), mixed: score(0, 0), all: score(0, 0) });
  const table: ScoreTable = { dev: empty(), "held-out": empty() };
  for (const verdict of verdicts) {
    for (const key of [verdict.lang, "all"] as const) {
      const cell = table[verdict.split][key];
      table[verdict.split][key] = score(cell.right + (verdict.ok ? 1 : 0), cell.total + 1);
    }
  }
  return table;
}

function score(right: number, total: number): Score {
  return { right, total, accuracy: total === 0 ? 0 : right / total };
}

/** The report `npm run eval` prints: the score table, then the failing turns grouped by kind. */
export function formatReport(verdicts: readonly TurnVerdict[], wanted: readonly Split[]): string {
  const table = scoreVerdicts(verdicts);
  const lines = ["Conversation test set: turns right", "", "split      en              zh              mixed           all"];
  for (const split of wanted) {
    const row = table[split];
    lines.push(`${split.padEnd(10)} ${(["en", "zh", "mixed", "all"] as const).map((lang) => cell(row[lang]).padEnd(15)).join(" ")}`);
  }
  for (const split of wanted)
    lines.push(
      "",
      ...failures(
        verdicts.filter((v) => v.split === split && !v.ok),
        split,
      ),
    );
  return lines.join("\n");
}

function cell(s: Score): string {
  return `${(s.accuracy * 100).toFixed(1)}% ${s.right}/${s.total}`;
}

function failures(failed: readonly TurnVerdict[], split: Split): string[] {
  const lines = [`Failing turns, ${split} (${failed.length}), by kind:`];
  const kinds = [...new Set(failed.map((v) => v.kind))].sort();
  for (const kind of kinds) {
    const group = failed.filter((v) => v.kind === kind);
    lines.push(`  ${kind} (${group.length})`);
    for (const v of group) {
      lines.push(`    ${v.conversation} #${v.index + 1} [${v.lang}] ${JSON.stringify(v.user)}`);
      lines.push(`      got ${v.got.handled}, flow ${v.got.flow ?? "none"}: ${JSON.stringify(v.got.reply)}`);
      for (const problem of v.problems) lines.push(`      - ${problem}`);
    }
  }
  return lines;
}
