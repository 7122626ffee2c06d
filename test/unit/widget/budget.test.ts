import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";

/** The widget's size budget (the CI check): the built script, gzipped. */
const WIDGET_GZIP_BUDGET_BYTES = 20 * 1024;

const dir = mkdtempSync(join(tmpdir(), "parley-widget-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("widget bundle", () => {
  // Built afresh into a temporary file: the budget holds for the sources as they are now.
  const outfile = join(dir, "widget.js");
  execFileSync(process.execPath, ["widget/build.mjs", "--outfile", outfile], { stdio: "pipe" });
  const script = readFileSync(outfile);

  it(`stays within ${WIDGET_GZIP_BUDGET_BYTES / 1024} KB gzipped`, () => {
    const gzipped = gzipSync(script, { level: 9 }).byteLength;
    console.info(`widget.js: ${script.byteLength} bytes, ${gzipped} bytes gzipped`);
    expect(gzipped).toBeLessThanOrEqual(WIDGET_GZIP_BUDGET_BYTES);
  });

  it("is one self-contained script: no zod, no innerHTML, no imports", () => {
    const text = script.toString("utf8");
    expect(text).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
    expect(text).not.toMatch(/\bimport\s*\(|\brequire\(/);
    expect(text).not.toMatch(/ZodError|\$ZodType/);
    expect(text).toContain("Parley");
  });
});
