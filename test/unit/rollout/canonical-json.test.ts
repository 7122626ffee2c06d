import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../../src/rollout/canonical-json.js";

describe("canonicalJson", () => {
  it("ignores key order at every depth, and keeps array order", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson({ x: [1, 2] })).not.toBe(canonicalJson({ x: [2, 1] }));
  });

  it("tells different definitions apart", () => {
    expect(canonicalJson({ a: "1" })).not.toBe(canonicalJson({ a: 1 }));
  });
});
