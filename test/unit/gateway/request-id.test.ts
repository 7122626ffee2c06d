import { describe, expect, it } from "vitest";
import { nextTraceparent } from "../../../workers/gateway/middleware/request-id.js";

describe("nextTraceparent", () => {
  it("continues a valid trace with a new span", () => {
    const incoming = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    const next = nextTraceparent(incoming);
    expect(next.slice(0, 36)).toBe(incoming.slice(0, 36));
    expect(next).not.toBe(incoming);
    expect(next).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it.each([undefined, "garbage", "00-00000000000000000000000000000000-00f067aa0ba902b7-01"])("starts a new trace for %s", (incoming) => {
    const next = nextTraceparent(incoming);
    expect(next).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(next.slice(3, 35)).not.toMatch(/^0+$/);
  });
});
