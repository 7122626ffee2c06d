import { describe, expect, it } from "vitest";
import { UserRateLimit } from "../../../../durable-objects/conversation/user-rate-limit.js";
import { apiErrorOf } from "../../../../src/protocol/errors.js";

describe("UserRateLimit", () => {
  it("admits the burst, then answers a 429 refusal with Retry-After until the bucket refills", () => {
    let now = 0;
    const limit = new UserRateLimit({ capacity: 2, perSecond: 0.5 }, () => now);
    expect(limit.admit()).toBeNull();
    expect(limit.admit()).toBeNull();
    const refused = limit.admit();
    expect(refused).toMatchObject({ refused: { code: "rate_limited", headers: { "retry-after": "2" } } });
    const error = apiErrorOf(refused!);
    expect([error.status, error.headers["retry-after"]]).toEqual([429, "2"]);
    now = 2_000;
    expect(limit.admit()).toBeNull();
    expect(limit.admit()).not.toBeNull();
  });
});
