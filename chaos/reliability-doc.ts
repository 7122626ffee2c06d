/**
 * Puts the latest figures into docs/reliability.md, between its two markers; the prose around
 * them (what each fault does, the findings) is written by hand and left as it is.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { machineInfo } from "../bench/machine.js";
import type { FaultFigures } from "./figures.js";
import { figuresNotes, figuresTable } from "./table.js";

export const START_MARKER = "<!-- chaos:figures:start (written by npm run chaos) -->";
export const END_MARKER = "<!-- chaos:figures:end -->";

export interface RunInfo {
  seed: number;
  smoke: boolean;
  seconds: number;
}

/** The generated block: when, on what, with which versions, then the table and its notes. */
export function figuresBlock(root: string, rows: readonly FaultFigures[], run: RunInfo, extra = ""): string {
  const m = machineInfo(root);
  const commit = gitHead(root);
  const header = [
    `Run ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC${run.smoke ? " (smoke)" : ""}, seed ${run.seed}, ${Math.round(run.seconds)} s, commit ${commit}.`,
    `Machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB.toFixed(0)} GiB, ${m.platform}, load average ${loadavg()[0]?.toFixed(2)} at the end.`,
    `Versions: Node ${m.node}, wrangler ${m.wrangler}, miniflare ${m.miniflare}, workerd ${m.workerd}.`,
  ];
  return [START_MARKER, header.join("\n"), "", figuresTable(rows), "", figuresNotes(rows), extra, END_MARKER].join("\n");
}

export function writeReliabilityDoc(root: string, rows: readonly FaultFigures[], run: RunInfo, extra = ""): void {
  const path = join(root, "docs", "reliability.md");
  const doc = readFileSync(path, "utf8");
  const start = doc.indexOf(START_MARKER);
  const end = doc.indexOf(END_MARKER);
  if (start === -1 || end < start) throw new Error(`${path}: the figures markers are missing`);
  writeFileSync(path, doc.slice(0, start) + figuresBlock(root, rows, run, extra) + doc.slice(end + END_MARKER.length));
  console.log(`[chaos] wrote ${path}`);
}

function gitHead(root: string): string {
  try {
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], { cwd: root, encoding: "utf8" }).trim() !== "";
    return dirty ? `${head} + local changes` : head;
  } catch {
    return "?";
  }
}
