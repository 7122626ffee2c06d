import { describe, expect, it } from "vitest";
import { isTransientRuntimeError } from "../../../platform/runtime-errors.js";

describe("which runtime errors are worth a retry", () => {
  it("takes workerd's retryable and overloaded flags", () => {
    expect(isTransientRuntimeError(Object.assign(new Error("Network connection lost."), { retryable: true }))).toBe(true);
    expect(isTransientRuntimeError(Object.assign(new Error("Durable Object is overloaded."), { overloaded: true }))).toBe(true);
  });

  it("takes SQLite running out of its memory budget, which carries no flag", () => {
    expect(isTransientRuntimeError(new Error("out of memory: SQLITE_NOMEM"))).toBe(true);
  });

  it("leaves every other error a fault to look into", () => {
    expect(isTransientRuntimeError(new Error("internal error; reference = abc"))).toBe(false);
    expect(isTransientRuntimeError(new TypeError("cannot read properties of undefined"))).toBe(false);
    expect(isTransientRuntimeError(Object.assign(new Error("x"), { retryable: "yes" }))).toBe(false);
    expect(isTransientRuntimeError("SQLITE_NOMEM")).toBe(false);
  });
});
