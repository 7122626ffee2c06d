import { describe, expect, it } from "vitest";
import { commandJsonSchema, initialDialogState, parseCommands, settableSlots, startableFlows, validateCommands } from "../../../../src/dialog/index.js";
import { shopWithLlm, stateAfter } from "./llm-bot.js";

const bot = shopWithLlm();

/** Every object schema in strict mode names all its properties as required and allows no others. */
function strictObjects(schema: unknown, path = "$"): string[] {
  if (typeof schema !== "object" || schema === null) return [];
  const node = schema as Record<string, unknown>;
  const problems: string[] = [];
  if (node.type === "object") {
    const keys = Object.keys((node.properties as Record<string, unknown>) ?? {});
    if (node.additionalProperties !== false) problems.push(`${path}: additionalProperties`);
    if (JSON.stringify([...((node.required as string[]) ?? [])].sort()) !== JSON.stringify([...keys].sort())) problems.push(`${path}: required`);
  }
  for (const [key, value] of Object.entries(node)) {
    if (Array.isArray(value)) value.forEach((item, i) => problems.push(...strictObjects(item, `${path}.${key}[${i}]`)));
    else problems.push(...strictObjects(value, `${path}.${key}`));
  }
  return problems;
}

describe("the command schema of one bot version", () => {
  it("names only the flows an intent starts and the slots the model may set", () => {
    expect(startableFlows(bot)).toEqual(["change_address", "check_stock", "goodbye", "greet", "handoff", "lottery", "order_status", "thanks"]);
    const slots = settableSlots(bot);
    expect(slots).toEqual(expect.arrayContaining(["product", "size", "order_id", "confirm"]));
    // sensitive, filled by an action, or asked by no flow
    for (const slot of ["phone", "address", "stock", "eta_days", "lottery_prize", "lottery_outcome", "prize_amount", "colour_offered"])
      expect(slots).not.toContain(slot);
  });

  it("is OpenAI strict-compatible and holds its enums", () => {
    const { schema } = commandJsonSchema(bot);
    expect(strictObjects(schema)).toEqual([]);
    const text = JSON.stringify(schema);
    expect(text).toContain('"enum":["change_address","check_stock"');
    expect(text).not.toContain('"phone"');
    expect(text).not.toContain("call_action");
  });
});

describe("parseCommands", () => {
  it("reads an object with commands, a bare array and a ```json fence", () => {
    expect(parseCommands('{"commands":[{"command":"chitchat"}]}').commands).toEqual([{ command: "chitchat" }]);
    expect(parseCommands('[{"command":"cancel_flow"}]').commands).toEqual([{ command: "cancel_flow" }]);
    expect(parseCommands('```json\n{"commands":[{"command":"human_handoff"}]}\n```').commands).toEqual([{ command: "human_handoff" }]);
  });

  it("makes zero commands of anything else, and says why", () => {
    expect(parseCommands("Sure! I'll set your size to 42.")).toEqual({ commands: [], error: "not JSON" });
    expect(parseCommands('{"size": 42}')).toEqual({ commands: [], error: "no commands array" });
    expect(parseCommands("   ")).toEqual({ commands: [], error: "empty output" });
  });
});

describe("validateCommands: the rules a typed answer meets", () => {
  const askingSize = stateAfter(bot, ["do you have running shoes"]);

  it("takes a value for the question being asked, read by the slot's entity ('forty two' is 42)", () => {
    const { accepted, dropped } = validateCommands([{ command: "set_slot", slot: "size", value: "forty two" }], bot, askingSize);
    expect(dropped).toEqual([]);
    expect(accepted).toEqual([{ command: "set_slot", slot: "size", value: 42 }]);
  });

  it("refuses a value the slot's entity or validation refuses", () => {
    const { accepted, dropped } = validateCommands(
      [
        { command: "set_slot", slot: "size", value: "99" },
        { command: "set_slot", slot: "product", value: "sandals" },
      ],
      bot,
      askingSize,
    );
    expect(accepted).toEqual([]);
    expect(dropped.map((d) => d.reason)).toEqual(["invalid value for size", "invalid value for product"]);
  });

  it("refuses sensitive slots, slots an action fills, slots the open flow does not ask, unknown commands", () => {
    const { accepted, dropped } = validateCommands(
      [
        { command: "set_slot", slot: "phone", value: "13987650123" },
        { command: "set_slot", slot: "stock", value: "99" },
        { command: "set_slot", slot: "order_id", value: "AB123456" },
        { command: "call_action", action: "campaign.draw" },
        { command: "pay", amount: 500 },
        "draw",
        { command: "call 13987650123 now" },
      ],
      bot,
      askingSize,
    );
    expect(accepted).toEqual([]);
    expect(dropped.map((d) => d.reason)).toEqual([
      "sensitive slot",
      "slot filled by an action",
      "slot not asked by the open flow",
      'unknown command "call_action"',
      'unknown command "pay"',
      "not a command object",
      "unknown command",
    ]);
  });

  it("refuses a sensitive value in any slot, and a masked one", () => {
    const { dropped } = validateCommands(
      [
        { command: "set_slot", slot: "product", value: "running 13987650123" },
        { command: "set_slot", slot: "product", value: "***0123" },
      ],
      bot,
      askingSize,
    );
    expect(dropped.map((d) => d.reason)).toEqual(["sensitive value", "sensitive value"]);
  });

  it("lets a flow started in the same batch take its slots, and allows one flow change", () => {
    const { accepted, dropped } = validateCommands(
      [
        { command: "start_flow", flow: "order_status" },
        { command: "set_slot", slot: "order_id", value: "ab123456" },
        { command: "start_flow", flow: "lottery" },
        { command: "human_handoff" },
      ],
      bot,
      initialDialogState(),
    );
    expect(accepted).toEqual([
      { command: "start_flow", flow: "order_status" },
      { command: "set_slot", slot: "order_id", value: "AB123456" },
    ]);
    expect(dropped.map((d) => d.reason)).toEqual(["more than one flow-changing command", "more than one flow-changing command"]);
  });

  it("refuses unknown flows, the flow already open, a correction of a slot never set", () => {
    const { accepted, dropped } = validateCommands(
      [
        { command: "start_flow", flow: "payout" },
        { command: "start_flow", flow: "check_stock" },
        { command: "correct_slot", slot: "size", value: "40" },
        { command: "correct_slot", slot: "product", value: "hiking" },
      ],
      bot,
      askingSize,
    );
    expect(dropped.map((d) => d.reason)).toEqual(["unknown flow", "flow already open", "correction of a slot not set"]);
    expect(accepted).toEqual([{ command: "correct_slot", slot: "product", value: "hiking" }]);
  });

  it("takes a confirmation only while it is being asked", () => {
    const lottery = stateAfter(bot, ["lottery"]);
    expect(validateCommands([{ command: "set_slot", slot: "confirm", value: "yes" }], bot, lottery).accepted).toHaveLength(1);
    const { dropped } = validateCommands(
      [
        { command: "start_flow", flow: "lottery" },
        { command: "set_slot", slot: "confirm", value: "yes" },
      ],
      bot,
      initialDialogState(),
    );
    expect(dropped.map((d) => d.reason)).toEqual(["confirmation not being asked"]);
  });

  it("keeps an answer command only when it is alone", () => {
    const alone = validateCommands([{ command: "knowledge_answer" }, { command: "chitchat" }], bot, askingSize);
    expect(alone.accepted).toEqual([{ command: "knowledge_answer" }]);
    const mixed = validateCommands([{ command: "chitchat" }, { command: "set_slot", slot: "size", value: "41" }], bot, askingSize);
    expect(mixed.accepted).toEqual([{ command: "set_slot", slot: "size", value: 41 }]);
    expect(mixed.dropped.map((d) => d.reason)).toEqual(["an answer command goes alone"]);
  });
});
