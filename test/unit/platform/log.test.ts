import { afterEach, describe, expect, it, vi } from "vitest";
import { applyLogLevel, logEvent } from "../../../platform/log.js";

afterEach(() => {
  applyLogLevel(undefined);
  vi.restoreAllMocks();
});

/** Which console methods a run of one line per level reached. */
function linesWritten(): string[] {
  const written: string[] = [];
  for (const method of ["debug", "info", "warn", "error"] as const) {
    vi.spyOn(console, method).mockImplementation((line: string) => written.push(`${method} ${line}`));
  }
  for (const level of ["debug", "info", "warn", "error"] as const) logEvent(level, "event", { n: 1 });
  return written;
}

describe("LOG_LEVEL", () => {
  it("writes info and above by default, each line as JSON through the console method of its level", () => {
    expect(linesWritten()).toEqual([
      'info {"level":"info","message":"event","n":1}',
      'warn {"level":"warn","message":"event","n":1}',
      'error {"level":"error","message":"event","n":1}',
    ]);
  });

  it("drops the lines below the level it names", () => {
    applyLogLevel("warn");
    expect(linesWritten().map((line) => line.split(" ")[0])).toEqual(["warn", "error"]);
    applyLogLevel("debug");
    expect(linesWritten().map((line) => line.split(" ")[0])).toEqual(["debug", "info", "warn", "error"]);
  });

  it("falls back to info for anything it does not know", () => {
    applyLogLevel("verbose");
    expect(linesWritten().map((line) => line.split(" ")[0])).toEqual(["info", "warn", "error"]);
  });
});
