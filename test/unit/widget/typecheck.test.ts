import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

/**
 * The widget's DOM code has its own tsconfig (DOM types clash with the Workers types of the
 * rest of the project); `tsc -p .` checks only widget/core. This checks the whole widget.
 */
describe("widget types", () => {
  it("type-checks against the DOM library (widget/tsconfig.json)", { timeout: 60_000 }, () => {
    const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
    let output = "";
    try {
      execFileSync(process.execPath, [tsc, "--noEmit", "-p", "widget/tsconfig.json"], { stdio: "pipe", encoding: "utf8" });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
    }
    expect(output).toBe("");
  });
});
