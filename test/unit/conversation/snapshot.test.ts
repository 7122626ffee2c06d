import { describe, expect, it } from "vitest";
import { openSnapshot, sealSnapshot } from "../../../src/conversation/snapshot.js";
import { initialConversationState } from "../../../src/conversation/state.js";
import { importHmacKey } from "../../../src/security/mac.js";

const state = { ...initialConversationState(), seq: 12, messages: 4, botVersion: "1" };

describe("snapshots", () => {
  it("open what they seal", async () => {
    const key = await importHmacKey("k1");
    const sealed = await sealSnapshot(key, "alice", state, 5000);
    expect(await openSnapshot(key, "alice", sealed)).toEqual({ ok: true, state });
  });

  it.each([
    ["another key", async () => ({ key: await importHmacKey("k2"), user: "alice", tweak: (s: object) => s })],
    ["another user", async () => ({ key: await importHmacKey("k1"), user: "bob", tweak: (s: object) => s })],
    [
      "an edited body",
      async () => ({
        key: await importHmacKey("k1"),
        user: "alice",
        tweak: (s: { body: string }) => ({ ...s, body: s.body.replace('"messages":4', '"messages":5') }),
      }),
    ],
    ["a moved seq", async () => ({ key: await importHmacKey("k1"), user: "alice", tweak: (s: { seq: number }) => ({ ...s, seq: 13 }) })],
    ["a changed time", async () => ({ key: await importHmacKey("k1"), user: "alice", tweak: (s: { at: number }) => ({ ...s, at: 1 }) })],
    ["a garbled MAC", async () => ({ key: await importHmacKey("k1"), user: "alice", tweak: (s: { mac: string }) => ({ ...s, mac: "zz" }) })],
  ])("are refused with %s", async (_, setup) => {
    const sealed = await sealSnapshot(await importHmacKey("k1"), "alice", state, 5000);
    const { key, user, tweak } = await setup();
    const result = await openSnapshot(key, user, tweak(sealed as never) as typeof sealed);
    expect(result).toEqual({ ok: false, reason: "bad_mac" });
  });
});
