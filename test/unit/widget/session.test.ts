import { describe, expect, it, vi } from "vitest";
import { GuestSession, SessionError } from "../../../widget/core/session.js";
import { memoryStore } from "../../../widget/core/storage.js";

const NOW = 1_800_000_000_000;

function answering(body: unknown, status = 201) {
  return vi.fn(async () => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } }));
}

describe("GuestSession", () => {
  it("asks for a guest once and keeps it in storage for the next page load", async () => {
    const store = memoryStore();
    const fetchFn = answering({ token: "g1", userId: "guest_1", expiresAt: NOW + 86_400_000 });
    const session = new GuestSession("https://chat.example", store, fetchFn, () => NOW);
    expect(await session.token()).toBe("g1");
    expect(fetchFn).toHaveBeenCalledWith("https://chat.example/v1/sessions/anonymous", { method: "POST" });
    const reloaded = new GuestSession("https://chat.example", store, answering({}), () => NOW);
    expect(await reloaded.token()).toBe("g1");
  });

  it("asks once for concurrent callers", async () => {
    const fetchFn = answering({ token: "g1", userId: "guest_1", expiresAt: NOW + 86_400_000 });
    const session = new GuestSession("https://chat.example", memoryStore(), fetchFn, () => NOW);
    await Promise.all([session.token(), session.token()]);
    expect(fetchFn).toHaveBeenCalledTimes(1);
  });

  it("replaces a guest token about to expire, and a forgotten one", async () => {
    const store = memoryStore();
    const first = new GuestSession("https://chat.example", store, answering({ token: "old", userId: "g", expiresAt: NOW + 30_000 }), () => NOW);
    expect(await first.token()).toBe("old");
    const second = new GuestSession("https://chat.example", store, answering({ token: "new", userId: "g2", expiresAt: NOW + 86_400_000 }), () => NOW);
    expect(await second.token()).toBe("new");
    second.forget();
    const third = new GuestSession("https://chat.example", store, answering({ token: "newer", userId: "g3", expiresAt: NOW + 86_400_000 }), () => NOW);
    expect(await third.token()).toBe("newer");
  });

  it("fails on a refusal or a malformed answer (the connection retries later)", async () => {
    const refused = new GuestSession("https://chat.example", memoryStore(), answering({ error: {} }, 503), () => NOW);
    await expect(refused.token()).rejects.toBeInstanceOf(SessionError);
    const malformed = new GuestSession("https://chat.example", memoryStore(), answering({ token: 5 }), () => NOW);
    await expect(malformed.token()).rejects.toThrow(/malformed/);
  });
});
