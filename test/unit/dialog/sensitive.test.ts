import { describe, expect, it } from "vitest";
import { compileBot, initialDialogState, parseUtterance } from "../../../src/dialog/index.js";
import { findAddresses } from "../../../src/dialog/nlu/address.js";
import { findPhones } from "../../../src/dialog/nlu/phone.js";
import { sensitiveEntities } from "../../../src/dialog/nlu/sensitive.js";
import { converse, loadBot } from "./harness.js";

const bot = loadBot("shop");
const phones = (text: string): string[] => findPhones(text.normalize("NFKC")).map((m) => text.normalize("NFKC").slice(m.start, m.end));
const addresses = (text: string): string[] => findAddresses(text.normalize("NFKC")).map((m) => m.value);
/** What the sealing would hide: each match as the user typed it. */
const found = (text: string): string[] => bot.sensitive.find(text).map((m) => text.slice(m.start, m.end));

describe("phone numbers", () => {
  it.each([
    ["my phone is 13987650123 and please call me", "13987650123"],
    ["139 8765 0123", "139 8765 0123"],
    ["call 139-8765-0123 now", "139-8765-0123"],
    ["139.8765.0123", "139.8765.0123"],
    ["139 - 8765 - 0123", "139 - 8765 - 0123"],
    ["+86 139 8765 0123", "+86 139 8765 0123"],
    ["+8613987650123", "+8613987650123"],
    ["(+86) 13987650123", "(+86) 13987650123"],
    ["0086-13987650123", "0086-13987650123"],
    ["手机号13987650123谢谢", "13987650123"],
    ["号码是一三九八七六五零一二三", "一三九八七六五零一二三"],
    ["幺三九 八七六五 零幺二三", "幺三九 八七六五 零幺二三"],
    ["13987650123一直打不通", "13987650123"],
  ])("%s → %s", (text, expected) => {
    expect(phones(text)).toEqual([expected]);
  });

  it.each(["139876501234", "12987650123", "order 12345678901", "1398765012", "AB123456", "size 42", "三十九码"])("not in %s", (text) => {
    expect(phones(text)).toEqual([]);
  });

  it("gives the phone slot the 11 digits, whatever the writing", () => {
    for (const text of ["+86 139-8765-0123", "１３９ ８７６５ ０１２３", "一三九八七六五零一二三"]) {
      expect(parseUtterance(bot, text).entities).toMatchObject({ phone: "13987650123" });
    }
  });
});

describe("addresses", () => {
  it.each([
    ["我要改地址，手机号13987650123，把地址改成北京市朝阳区建国路88号", "北京市朝阳区建国路88号"],
    ["寄到上海市浦东新区世纪大道100号", "上海市浦东新区世纪大道100号"],
    ["住在 北京市 朝阳区 建国路88号 谢谢", "北京市 朝阳区 建国路88号"],
    ["地址是杭州市西湖区文三路90号阳光花园3号楼2单元501室，麻烦了", "杭州市西湖区文三路90号阳光花园3号楼2单元501室"],
    ["南京西路1266弄5号", "南京西路1266弄5号"],
    ["送到望京小区5栋", "望京小区5栋"],
    ["新地址：成都市武侯区人民南路四段八十八号", "成都市武侯区人民南路四段八十八号"],
    ["my address is 12 Baker Street, London", "12 Baker Street, London"],
    ["88 Century Avenue, Pudong, Shanghai", "88 Century Avenue, Pudong, Shanghai"],
    ["Room 5, 1 Main Street, Hangzhou", "Room 5, 1 Main Street, Hangzhou"],
    ["send it to flat 3, rose court, leeds LS1 4AB please", "flat 3, rose court, leeds LS1 4AB"],
    ["Room 1203, No. 88 Jianguo Road, Chaoyang District, Beijing", "Room 1203, No. 88 Jianguo Road, Chaoyang District, Beijing"],
    ["1600 Pennsylvania Avenue NW, Washington, DC 20500", "1600 Pennsylvania Avenue NW, Washington, DC 20500"],
  ])("%s → %s", (text, expected) => {
    expect(addresses(text)).toContain(expected);
  });

  it("takes the rest of the sentence after 'address is' when it starts with a house number", () => {
    expect(addresses("my new address is 88 Jianguo Rd Beijing. Thanks")).toContain("88 Jianguo Rd Beijing");
    expect(addresses("address: 5/F Tower 2 and that's all")).toContain("5/F Tower 2");
  });

  it.each([
    "the address is wrong",
    "I want to change my delivery address",
    "I'm 35 years old and wear size 44",
    "do you have canvas shoes in 39",
    "I need 2 pairs of running shoes",
    "你知道42号的跑鞋有货吗",
    "跑鞋还有42码吗",
    "我在北京市朝阳区",
    "坐公交88路到了",
    "订单AB123456到哪里了",
  ])("none in %s", (text) => {
    expect(addresses(text)).toEqual([]);
  });

  it("finds a second street address after the first one's locality words, not inside them", () => {
    const text = " 1 Baker Street,  hi hi hi 1 Baker Street ";
    const found = findAddresses(text.normalize("NFKC")).map((match) => text.slice(match.start, match.end));
    expect(found).toHaveLength(2);
    expect(found[1]).toBe("1 Baker Street");
  });

  it("does not take a phone number written right before it", () => {
    expect(addresses("手机13987650123北京市朝阳区建国路88号")).toEqual(["北京市朝阳区建国路88号"]);
    expect(parseUtterance(bot, "手机13987650123北京市朝阳区建国路88号").entities).toMatchObject({ phone: "13987650123" });
  });

  it("keeps a house number from being read as a shoe size", () => {
    expect(parseUtterance(bot, "寄到建国路42号").entities).not.toHaveProperty("size");
  });
});

describe("the sensitive finder", () => {
  it("knows the shop's sensitive entities: phone and address, not order ids or sizes", () => {
    expect([...sensitiveEntities(bot.definition)].sort()).toEqual(["address", "phone"]);
    expect([...bot.sensitive.entities].sort()).toEqual(["address", "phone"]);
  });

  it("counts an entity that fills a sensitive slot as sensitive", () => {
    const def = { ...bot.definition, slots: { ...bot.definition.slots, order_id: { ...bot.definition.slots["order_id"]!, sensitive: true } } };
    expect(sensitiveEntities(def).has("order_id")).toBe(true);
  });

  it("finds every phone and address of a message, at their place in the original text", () => {
    expect(found("call 139 8765 0123 or 13700001234, deliver to 12 Baker Street, London")).toEqual(["139 8765 0123", "13700001234", "12 Baker Street, London"]);
  });

  it("maps spans back through NFKC: full-width and circled digits are masked as typed", () => {
    expect(found("电话：１３９８７６５０１２３。")).toEqual(["１３９８７６５０１２３"]);
    expect(found("ｍｙ ｐｈｏｎｅ ＋８６ １３９８７６５０１２３")).toEqual(["＋８６ １３９８７６５０１２３"]);
    expect(found("①③⑨⑧⑦⑥⑤⓪①②③")).toEqual(["①③⑨⑧⑦⑥⑤⓪①②③"]);
  });

  it("finds nothing in a message without sensitive values", () => {
    expect(found("do you have running shoes in size 42? order AB123456")).toEqual([]);
  });
});

describe("a slot whose value holds a sensitive value", () => {
  const signup = loadBot("fixtures/signup-bot.json").definition;
  const bot = compileBot({ ...signup, entities: { ...signup.entities, phone: { type: "phone" } } });

  it("is sealed and masked like a declared sensitive slot: a phone number given as a nickname", () => {
    const asked = converse(initialDialogState(), bot, "sign me up", 1);
    const answered = converse(asked.state, bot, "139 8765 0123", 2);
    expect(answered.events).toContainEqual(expect.objectContaining({ type: "slot.set", name: "nickname", sensitive: true }));
    expect(answered.reply.text).toContain("Nice to meet you, ***0123!");
    expect(answered.reply.text).not.toContain("8765");
    expect(answered.state.slots["nickname"]).toMatchObject({ value: "139 8765 0123", sensitive: true });
  });

  it("stays plain otherwise", () => {
    const asked = converse(initialDialogState(), bot, "sign me up", 1);
    const answered = converse(asked.state, bot, "Ada", 2);
    expect(answered.events).toContainEqual({ type: "slot.set", v: 1, at: 2, name: "nickname", value: "Ada", source: "user" });
    expect(answered.reply.text).toContain("Nice to meet you, Ada!");
  });
});
