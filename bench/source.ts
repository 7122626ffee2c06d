/**
 * The source the benchmark serves: a private copy, taken once at the start. `wrangler dev`
 * rebuilds and reloads its Worker whenever a file it bundled changes; serving the live
 * checkout would let any edit during a run (an editor's save, a concurrent commit) reset every
 * isolate and actor under load. The copy is the working tree as it is (default) or a git ref.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, relative } from "node:path";

/** Not copied: installed packages (linked instead), git, build/dev state, local secrets, outputs. */
const SKIPPED = new Set(["node_modules", ".git", ".wrangler", ".dev.vars", "out", "dist", "test-results"]);

export interface SourceCopy {
  dir: string;
  describe: string;
  remove(): void;
}

function gitDescribe(root: string, ref: string): string {
  try {
    return execFileSync("git", ["-C", root, "rev-parse", "--short", ref], { encoding: "utf8" }).trim();
  } catch {
    return "?";
  }
}

function workingTreeState(root: string): string {
  try {
    const dirty = execFileSync("git", ["-C", root, "status", "--porcelain", "--untracked-files=no"], { encoding: "utf8" }).trim() !== "";
    return `working tree at ${gitDescribe(root, "HEAD")}${dirty ? " with uncommitted changes" : ""}`;
  } catch {
    return "working tree";
  }
}

/** Copies the working tree (or `ref`, via `git archive`) to a temporary directory. */
export function copySource(root: string, ref?: string): SourceCopy {
  const dir = mkdtempSync(join(tmpdir(), "parley-bench-src-"));
  if (ref === undefined) {
    cpSync(root, dir, {
      recursive: true,
      filter: (source) => {
        const path = relative(root, source);
        return path === "" || !SKIPPED.has(basename(source));
      },
    });
  } else {
    const tar = execFileSync("git", ["-C", root, "archive", "--format=tar", ref], { maxBuffer: 256 << 20 });
    execFileSync("tar", ["-x", "-C", dir], { input: tar });
  }
  symlinkSync(join(root, "node_modules"), join(dir, "node_modules"), "dir");
  return {
    dir,
    describe: ref === undefined ? workingTreeState(root) : `${ref} (${gitDescribe(root, ref)})`,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
