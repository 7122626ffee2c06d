import { beforeAll, describe, expect, it } from "vitest";
import shop from "../../../bots/shop.json";
import { call, tokenFor } from "../helpers.js";
import { SHOP_SIZE_PROMPT, adminToken, publish, setRollout } from "../registry/fixtures.js";
import { fakeRules, llmShop } from "./fixtures.js";

interface Exported {
  type: string;
  data: Record<string, unknown>;
}

async function say(token: string, text: string): Promise<string> {
  const response = await call("/v1/messages", { method: "POST", token, json: { text } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { reply: { text: string } }).reply.text;
}

async function events(token: string): Promise<Exported[]> {
  const text = await (await call("/v1/conversation/export", { token })).text();
  return text
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Exported);
}

async function view(token: string): Promise<{ slots: Record<string, string | number>; activeFlow: string | null }> {
  return (await (await call("/v1/conversation", { token })).json()) as { slots: Record<string, string | number>; activeFlow: string | null };
}

// Understanding only: the fallback stays scripted, so every reply here is the rules' own.
beforeAll(async () => {
  const token = await adminToken();
  expect([200, 201]).toContain(
    (await publish(token, "shop", "llm-rules", llmShop("llm-rules", {}, { generate: { knowledge: false, fallback: false } }))).status,
  );
  expect((await setRollout(token, "shop", { stable: "llm-rules" })).status).toBe(200);
});

describe("commands the model proposes when the rules are unsure", () => {
  it("start the flow and fill the slot it names, and the flow goes on from there", async () => {
    await fakeRules([
      {
        match: "zorp flibber qq1",
        commands: [
          { command: "start_flow", flow: "check_stock" },
          { command: "set_slot", slot: "product", value: "runners" },
        ],
      },
    ]);
    const token = await tokenFor("llm-commands-start");
    expect(await say(token, "zorp flibber qq1")).toContain(SHOP_SIZE_PROMPT);
    expect(await view(token)).toMatchObject({ activeFlow: "check_stock", slots: { product: "running" } });
    const proposal = (await events(token)).find((event) => event.type === "llm.commands");
    expect(proposal?.data).toMatchObject({ proposed: 2, dropped: 0, accepted: [{ command: "start_flow" }, { command: "set_slot", slot: "product" }] });
  });

  it("answer a question the rules asked again: a size in words the rules did not read", async () => {
    await fakeRules([{ match: "the usual, my dad's size qq3", commands: [{ command: "set_slot", slot: "size", value: 43 }] }]);
    const token = await tokenFor("llm-commands-reprompt");
    expect(await say(token, "do you have running shoes")).toContain(SHOP_SIZE_PROMPT);
    const reply = await say(token, "the usual, my dad's size qq3");
    expect(reply).not.toContain("Sorry, I need a size");
    expect((await view(token)).slots).toMatchObject({ product: "running", size: 43 });
  });

  it("are dropped when they set a sensitive slot, call an action, start a flow that does not exist or give an invalid value — and the rules' answer stands", async () => {
    await fakeRules([
      {
        match: "zorp flibber qq2",
        commands: [
          { command: "set_slot", slot: "phone", value: "13987650123" },
          { command: "call_action", action: "orders.refund" },
          { command: "start_flow", flow: "refund_everything" },
          { command: "set_slot", slot: "size", value: 99 },
        ],
      },
    ]);
    const token = await tokenFor("llm-commands-dropped");
    expect(await say(token, "zorp flibber qq2")).toBe(shop.fallback.text.en);
    expect(await view(token)).toMatchObject({ activeFlow: null, slots: {} });
    const all = await events(token);
    expect(all.find((event) => event.type === "llm.commands")?.data).toMatchObject({ proposed: 4, accepted: [], dropped: 4 });
    expect(all.some((event) => event.type === "action.requested")).toBe(false);
    expect(JSON.stringify(all)).not.toContain("13987650123");
  });

  it("leave the rules' answer as it is when the model fails", async () => {
    await fakeRules([{ match: "zorp flibber qq4", fault: "http500" }]);
    const token = await tokenFor("llm-commands-failed");
    expect(await say(token, "zorp flibber qq4")).toBe(shop.fallback.text.en);
    expect((await events(token)).some((event) => event.type === "llm.commands")).toBe(false);
  });
});
