import { describe, expect, it } from "vitest";
import { runtimeFailureOf } from "../../../platform/runtime-errors.js";

describe("which errors are the runtime's, worth a retry", () => {
  it("takes workerd's retryable and overloaded flags", () => {
    expect(runtimeFailureOf(Object.assign(new Error("Network connection lost."), { retryable: true }))).toBe("flagged");
    expect(runtimeFailureOf(Object.assign(new Error("Durable Object is overloaded."), { overloaded: true }))).toBe("flagged");
  });

  it("takes SQLite running out of its memory budget, which carries no flag", () => {
    expect(runtimeFailureOf(new Error("out of memory: SQLITE_NOMEM"))).toBe("storage_out_of_memory");
  });

  it("takes workerd's internal error, which names only a reference into its log", () => {
    expect(runtimeFailureOf(new Error("internal error; reference = 163ltu0pqf7ahb3ff2rf0l4d"))).toBe("internal");
  });

  it("leaves every error of Parley's own code a fault to look into", () => {
    expect(runtimeFailureOf(new TypeError("Cannot read properties of undefined (reading 'seq')"))).toBeNull();
    expect(runtimeFailureOf(new Error("saw an internal error; reference = abc"))).toBeNull();
    expect(runtimeFailureOf(Object.assign(new Error("x"), { retryable: "yes" }))).toBeNull();
    expect(runtimeFailureOf("SQLITE_NOMEM")).toBeNull();
  });
});
