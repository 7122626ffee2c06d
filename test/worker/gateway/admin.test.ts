import { beforeAll, describe, expect, it } from "vitest";
import shop from "../../../bots/shop.json";
import { call, errorOf, say, tokenFor } from "../helpers.js";
import { adminToken, markedShop, publish, setRollout } from "../registry/fixtures.js";

const ROUTES: { method: string; path: string; json?: unknown }[] = [
  { method: "PUT", path: "/v1/admin/bots/shop/versions/9", json: { ...shop, version: "9" } },
  { method: "GET", path: "/v1/admin/bots/shop" },
  { method: "PUT", path: "/v1/admin/bots/shop/rollout", json: { stable: "1" } },
  { method: "POST", path: "/v1/admin/bots/shop/rollback" },
  { method: "POST", path: "/v1/admin/bots/shop/parse", json: { text: "hello" } },
  { method: "GET", path: "/v1/admin/conversations/someone" },
];

describe("admin routes", () => {
  let admin: string;
  beforeAll(async () => {
    admin = await adminToken("alice-admin");
    await call("/v1/admin/bots/shop", { token: admin }); // loads the Worker's modules once
  }, 60_000);

  describe("access", () => {
    for (const route of ROUTES) {
      it(`${route.method} ${route.path}: 403 for a chat/voice token, 401 without one`, async () => {
        const user = await tokenFor("not-an-admin", ["chat", "voice"]);
        const forbidden = await call(route.path, { method: route.method, token: user, json: route.json });
        expect(forbidden.status).toBe(403);
        expect((await errorOf(forbidden)).code).toBe("forbidden");
        const anonymous = await call(route.path, { method: route.method, json: route.json });
        expect(anonymous.status).toBe(401);
      });
    }

    it("changed nothing for the refused requests", async () => {
      const overview = (await (await call("/v1/admin/bots/shop", { token: admin })).json()) as { versions: { version: string }[] };
      expect(overview.versions.map((v) => v.version)).not.toContain("9");
    });
  });

  describe("PUT /v1/admin/bots/:bot/versions/:version", () => {
    it("publishes a version (201), takes the same definition again as a no-op (200), and refuses another body (409)", async () => {
      const created = await publish(admin, "shop", "p1", markedShop("p1", "[p1]"));
      expect(created.status).toBe(201);
      expect(await created.json()).toMatchObject({ bot: "shop", version: "p1", publishedBy: "alice-admin", created: true, rollout: { stable: "1" } });
      const reordered = Object.fromEntries(Object.entries(markedShop("p1", "[p1]")).reverse());
      const again = await publish(admin, "shop", "p1", reordered);
      expect(again.status).toBe(200);
      expect(await again.json()).toMatchObject({ version: "p1", created: false });
      const conflict = await publish(admin, "shop", "p1", markedShop("p1", "[other]"));
      expect(conflict.status).toBe(409);
      expect((await errorOf(conflict)).code).toBe("conflict");
    });

    it("refuses an invalid definition with the path of the error, and stores nothing", async () => {
      const broken = markedShop("p2", "[p2]");
      (broken["slots"] as Record<string, { entity?: string }>)["size"]!.entity = "heel_height";
      const response = await publish(admin, "shop", "p2", broken);
      expect(response.status).toBe(400);
      const error = await errorOf(response);
      expect(error).toMatchObject({ code: "invalid_request", message: 'slots.size.entity: unknown entity "heel_height"' });
      expect(error.requestId).toBe(response.headers.get("x-request-id"));
      const steps = markedShop("p2", "[p2]");
      (steps["flows"] as Record<string, { steps: { type: string }[] }>)["greet"]!.steps[0]!.type = "dance";
      expect((await errorOf(await publish(admin, "shop", "p2", steps))).message).toMatch(/^flows\.greet\.steps\[0\]/);
      expect((await call("/v1/admin/bots/shop/parse", { method: "POST", token: admin, json: { text: "hi", version: "p2" } })).status).toBe(404);
    });

    it("requires the definition's id and version to be the path's", async () => {
      const wrongVersion = await publish(admin, "shop", "p3", markedShop("p4", "[p3]"));
      expect(await errorOf(wrongVersion)).toMatchObject({ code: "invalid_request", message: 'version: must be "p3", the version in the path' });
      const wrongBot = await publish(admin, "kiosk", "p3", markedShop("p3", "[p3]"));
      expect(await errorOf(wrongBot)).toMatchObject({ code: "invalid_request", message: 'id: must be "kiosk", the bot in the path' });
    });

    it("takes definitions over the 16 KB message limit, up to 256 KB", async () => {
      const big = markedShop("p5", "[p5]");
      const intents = big["intents"] as Record<string, { examples: string[] }>;
      intents["greet"]!.examples.push(...Array.from({ length: 800 }, (_, i) => `hello there number ${i}`));
      expect(JSON.stringify(big).length).toBeGreaterThan(24 * 1024);
      expect((await publish(admin, "shop", "p5", big)).status).toBe(201);
      const huge = { ...big, version: "p6", padding: "x".repeat(300 * 1024) };
      expect((await publish(admin, "shop", "p6", huge)).status).toBe(413);
    });

    it("makes a new bot's first version its stable", async () => {
      const kiosk = { ...markedShop("k1", "[kiosk]"), id: "kiosk" };
      const response = await publish(admin, "kiosk", "k1", kiosk);
      expect(await response.json()).toMatchObject({ created: true, rollout: { stable: "k1" } });
      const overview = (await (await call("/v1/admin/bots/kiosk", { token: admin })).json()) as Record<string, unknown>;
      expect(overview).toMatchObject({
        bot: "kiosk",
        rollout: { stable: "k1" },
        versions: [{ version: "k1", counters: { turns: 0, fallbacks: 0, handoffs: 0, errors: 0 } }],
      });
    });
  });

  describe("rollout and rollback", () => {
    it("404s a rollout naming an unpublished version or an unknown bot, 400s a malformed one", async () => {
      const missing = await setRollout(admin, "shop", { stable: "1", canary: { version: "nope", suffixes: ["7"] } });
      expect(missing.status).toBe(404);
      expect((await errorOf(missing)).message).toBe('version "nope" of "shop" is not published');
      expect((await setRollout(admin, "ghost", { stable: "1" })).status).toBe(404);
      const cases: [unknown, RegExp][] = [
        [{ stable: "1", canary: { version: "p1", percent: 101 } }, /^canary\.percent:/],
        [{ stable: "1", canary: { version: "p1" } }, /suffixes or percent/],
        [{ stable: "1", canary: { version: "1", suffixes: ["7"] } }, /^canary\.version: the canary must be another version/],
        [{ canary: { version: "p1", suffixes: ["7"] } }, /^stable:/],
      ];
      for (const [body, message] of cases) {
        const response = await setRollout(admin, "shop", body);
        expect(response.status).toBe(400);
        expect((await errorOf(response)).message).toMatch(message);
      }
      const overview = (await (await call("/v1/admin/bots/shop", { token: admin })).json()) as { rollout: unknown };
      expect(overview.rollout).toEqual({ stable: "1" });
    });

    it("sets a percent canary, and rolls it back", async () => {
      const rollout = { stable: "1", canary: { version: "p1", percent: 10, guard: { maxFallbackRate: 0.4, minTurns: 100 } } };
      const set = await setRollout(admin, "shop", rollout);
      expect(await set.json()).toEqual({ rollout });
      const back = await call("/v1/admin/bots/shop/rollback", { method: "POST", token: admin });
      expect(await back.json()).toEqual({ rollout: { stable: "1" } });
      expect((await call("/v1/admin/bots/ghost/rollback", { method: "POST", token: admin })).status).toBe(404);
    });

    it("404s an unknown bot's overview", async () => {
      const response = await call("/v1/admin/bots/ghost", { token: admin });
      expect(response.status).toBe(404);
      expect((await errorOf(response)).code).toBe("not_found");
    });
  });

  describe("POST /v1/admin/bots/:bot/parse", () => {
    it("shows what the stable version's NLU makes of a sentence", async () => {
      const response = await call("/v1/admin/bots/shop/parse", { method: "POST", token: admin, json: { text: "do you have running shoes in size 42" } });
      expect(response.status).toBe(200);
      const parsed = (await response.json()) as {
        intent: string;
        confidence: number;
        entities: Record<string, unknown>;
        alternatives: unknown[];
        botVersion: string;
      };
      expect(parsed).toMatchObject({ intent: "check_stock", entities: { product: "running", size: 42 }, botVersion: "1" });
      expect(parsed.confidence).toBeGreaterThan(0.5);
      expect(Array.isArray(parsed.alternatives)).toBe(true);
    });

    it("parses with a named version, says null under the threshold, and 404s unknown bots and versions", async () => {
      const named = await call("/v1/admin/bots/shop/parse", { method: "POST", token: admin, json: { text: "qwxz zzkq", version: "p1" } });
      expect(await named.json()).toMatchObject({ intent: null, botVersion: "p1" });
      const unknownVersion = await call("/v1/admin/bots/shop/parse", { method: "POST", token: admin, json: { text: "hi", version: "nope" } });
      expect(unknownVersion.status).toBe(404);
      const unknownBot = await call("/v1/admin/bots/ghost/parse", { method: "POST", token: admin, json: { text: "hi" } });
      expect(unknownBot.status).toBe(404);
      const blank = await call("/v1/admin/bots/shop/parse", { method: "POST", token: admin, json: { text: "  " } });
      expect((await errorOf(blank)).message).toMatch(/^text:/);
    });
  });

  describe("GET /v1/admin/conversations/:userId", () => {
    it("shows any user's conversation as they see it, sensitive slots redacted", async () => {
      const user = await tokenFor("watched-user");
      await say(user, "do you have running shoes in size 39?");
      const response = await call("/v1/admin/conversations/watched-user", { token: admin });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual(await (await call("/v1/conversation", { token: user })).json());
      expect((await call("/v1/admin/conversations/not%20a%20user", { token: admin })).status).toBe(400);
    });
  });

  it("documents every admin route in /openapi.json", async () => {
    const doc = (await (await call("/openapi.json")).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths["/v1/admin/bots/{bot}/versions/{version}"] ?? {})).toEqual(["put"]);
    for (const path of [
      "/v1/admin/bots/{bot}",
      "/v1/admin/bots/{bot}/rollout",
      "/v1/admin/bots/{bot}/rollback",
      "/v1/admin/bots/{bot}/parse",
      "/v1/admin/conversations/{userId}",
    ]) {
      expect(doc.paths[path], path).toBeDefined();
    }
  });
});
