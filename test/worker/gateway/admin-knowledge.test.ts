import { beforeAll, describe, expect, it } from "vitest";
import shop from "../../../bots/shop.json";
import { call, tokenFor } from "../helpers.js";
import { adminToken, eventually, publish, setRollout, turn } from "../registry/fixtures.js";

interface AsideMatch {
  entry: string;
  score: number;
  accepted: boolean;
}
interface Parsed {
  intent: string | null;
  knowledge: AsideMatch | null;
  smallTalk: AsideMatch | null;
  corrections: { from: string; to: string }[];
  botVersion: string;
}

const HOURS = "We're open every day from 10:00 to 21:00";

/** The shop with other opening hours: a knowledge answer changes with the version like everything else. */
function shopWithLateHours(version: string): Record<string, unknown> {
  return JSON.parse(JSON.stringify({ ...shop, version }).replace(HOURS, "[late] We're open every day from 10:00 to 23:00")) as Record<string, unknown>;
}

async function parse(admin: string, text: string, version?: string): Promise<Parsed> {
  const response = await call("/v1/admin/bots/shop/parse", { method: "POST", token: admin, json: { text, ...(version ? { version } : {}) } });
  expect(response.status).toBe(200);
  return (await response.json()) as Parsed;
}

describe("knowledge base and small talk through the Worker", () => {
  let admin: string;
  beforeAll(async () => {
    admin = await adminToken("kb-admin");
    expect((await publish(admin, "shop", "kb2", shopWithLateHours("kb2"))).status).toBe(201);
  }, 60_000);

  it("the parse route shows the knowledge entry and small-talk entry with their scores", async () => {
    const hours = await parse(admin, "你们几点关门");
    expect(hours.knowledge).toMatchObject({ entry: "opening_hours", accepted: true });
    expect(hours.knowledge?.score).toBeGreaterThan(0.5);
    const bot = await parse(admin, "are you a bot?");
    expect(bot.smallTalk).toMatchObject({ entry: "bot_identity", accepted: true });
    const unrelated = await parse(admin, "qwxz zzkq");
    expect(unrelated).toMatchObject({ intent: null, knowledge: null, smallTalk: null, corrections: [] });
  });

  it("the parse route shows the typos it corrected, and matches knowledge on the corrected text", async () => {
    const typo = await parse(admin, "what are your opning hours?");
    expect(typo.corrections).toEqual([{ from: "opning", to: "opening" }]);
    expect(typo.knowledge).toMatchObject({ entry: "opening_hours", accepted: true });
  });

  it("answers from the knowledge of the user's version: the canary sees its own answer", async () => {
    expect((await setRollout(admin, "shop", { stable: "1", canary: { version: "kb2", suffixes: ["k9"] } })).status).toBe(200);
    const [canary, stable] = await Promise.all([tokenFor("shopper-k9"), tokenFor("shopper-k1")]);
    // The isolate's catalog picks the rollout change up within seconds.
    const { value: late } = await eventually(async () => {
      const answer = await turn(canary, "when do you close?");
      return answer.botVersion === "kb2" ? answer : undefined;
    });
    expect(late.reply.text).toMatch(/^\[late\]/);
    const usual = await turn(stable, "when do you close?");
    expect(usual).toMatchObject({ botVersion: "1" });
    expect(usual.reply.text).toContain(HOURS);
  });

  it("answers small talk in the middle of a flow and asks the pending question again", async () => {
    const user = await tokenFor("shopper-smalltalk");
    await turn(user, "I want to check stock");
    const aside = await turn(user, "how are you today?");
    expect(aside.reply.text).toMatch(/doing great/);
    expect(aside.reply.text).toMatch(/Which shoes/);
    const view = (await (await call("/v1/conversation", { token: user })).json()) as { activeFlow: string | null };
    expect(view.activeFlow).toBe("check_stock");
  });

  it("documents the knowledge and small-talk match in /openapi.json", async () => {
    const doc = JSON.stringify(await (await call("/openapi.json")).json());
    expect(doc).toContain("the nearest knowledge-base entry");
    expect(doc).toContain("the nearest small-talk entry");
  });
});
