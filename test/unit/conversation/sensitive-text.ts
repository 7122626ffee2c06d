import fc from "fast-check";

/**
 * Generated messages with sensitive values inside, for the sealing properties: the values in
 * every variant the recognizers accept, between English or Chinese text without digits.
 */

export interface Planted {
  kind: "phone" | "address";
  /** as written in the message */
  text: string;
  /** what must never be readable in storage: the 11 digits, or the street and its number */
  secret: string;
}

export interface GeneratedMessage {
  text: string;
  planted: Planted[];
}

const digit = fc.constantFrom(..."0123456789");
const HAN_DIGITS: Readonly<Record<string, readonly string[]>> = {
  "0": ["零", "〇"],
  "1": ["一", "幺"],
  "2": ["二", "两"],
  "3": ["三"],
  "4": ["四"],
  "5": ["五"],
  "6": ["六"],
  "7": ["七"],
  "8": ["八"],
  "9": ["九"],
};

const groups = (d: string): string[] => [d.slice(0, 3), d.slice(3, 7), d.slice(7)];
const fullWidth = (s: string): string => s.replace(/[0-9+]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

/** How people write a mobile number: the same 11 digits, eleven ways. */
const PHONE_STYLES: readonly ((d: string, pick: number) => string)[] = [
  (d) => d,
  (d) => groups(d).join(" "),
  (d) => groups(d).join("-"),
  (d) => groups(d).join("."),
  (d) => `+86 ${d}`,
  (d) => `+86-${groups(d).join("-")}`,
  (d) => `+86${d}`,
  (d) => `0086 ${groups(d).join(" ")}`,
  (d) => `(+86) ${d}`,
  (d) => fullWidth(`+86 ${groups(d).join(" ")}`),
  (d) => [...d].join(" "),
  (d, pick) => [...d].map((c) => HAN_DIGITS[c]?.[pick % (HAN_DIGITS[c]?.length ?? 1)] ?? c).join(""),
];

export const phone: fc.Arbitrary<Planted> = fc
  .tuple(fc.constantFrom(..."3456789"), fc.array(digit, { minLength: 9, maxLength: 9 }), fc.nat(PHONE_STYLES.length - 1), fc.nat(1))
  .map(([second, rest, style, pick]) => {
    const digits = `1${second}${rest.join("")}`;
    return { kind: "phone", text: PHONE_STYLES[style]!(digits, pick), secret: digits };
  });

const CITIES = ["北京市", "上海市", "杭州市", "成都市", "广州市", "深圳市", "南京市"];
const DISTRICTS = ["朝阳区", "浦东新区", "西湖区", "武侯区", "天河区", "南山区", "鼓楼区"];
const ROAD_NAMES = ["建国", "世纪", "文三", "人民南", "中山", "解放", "长安", "南京西", "淮海中"];
const ROADS = ["路", "街", "大道", "大街"];
const HAN_NUMBERS = ["八十八", "十二", "一百零五", "三"];

export const chineseAddress: fc.Arbitrary<Planted> = fc
  .record({
    province: fc.constantFrom("", "浙江省", "广东省", "四川省"),
    city: fc.constantFrom(...CITIES),
    district: fc.constantFrom(...DISTRICTS),
    spaced: fc.boolean(),
    name: fc.constantFrom(...ROAD_NAMES),
    road: fc.constantFrom(...ROADS),
    number: fc.oneof(fc.integer({ min: 1, max: 9999 }).map(String), fc.constantFrom(...HAN_NUMBERS)),
    rest: fc.constantFrom("", "3号楼2单元501室", "阳光花园5栋", "1201室"),
  })
  .map((a) => {
    const street = `${a.name}${a.road}${a.number}号`;
    const parts = [a.province, a.city, a.district, street].filter((part) => part !== "");
    return { kind: "address", text: `${parts.join(a.spaced ? " " : "")}${a.rest}`, secret: street };
  });

const STREET_NAMES = ["Baker", "Century", "Main", "Oak", "High", "Mill", "Victoria", "Jianguo", "Queen Anne", "Old Kent"];
const STREET_TYPES = ["Street", "St", "Road", "Rd", "Avenue", "Ave", "Lane", "Drive", "Way", "Court", "Place", "Square"];

export const englishAddress: fc.Arbitrary<Planted> = fc
  .record({
    unit: fc.constantFrom("", "Flat 3, ", "Apt 12B, ", "Room 1203, "),
    number: fc.tuple(fc.integer({ min: 1, max: 9999 }), fc.constantFrom("", "A", "b")).map(([n, letter]) => `${n}${letter}`),
    name: fc.constantFrom(...STREET_NAMES),
    type: fc.constantFrom(...STREET_TYPES),
    locality: fc.constantFrom("", ", London", ", Pudong, Shanghai", ", Leeds LS1 4AB", ", New York, NY 10001"),
    lower: fc.boolean(),
  })
  .map((a) => {
    const street = `${a.number} ${a.name} ${a.type}`;
    const text = `${a.unit}${street}${a.locality}`;
    return { kind: "address", text: a.lower ? text.toLowerCase() : text, secret: a.lower ? street.toLowerCase() : street };
  });

const ENGLISH_WORDS = [
  "hi",
  "my",
  "phone",
  "is",
  "please",
  "call",
  "me",
  "and",
  "deliver",
  "to",
  "the",
  "new",
  "address",
  "thanks",
  "shoes",
  "order",
  "running",
  "size",
  "today",
  "ok",
];
const CHINESE_WORDS = ["你好", "我的", "手机号", "是", "请", "打给我", "地址", "改成", "寄到", "谢谢", "跑鞋", "订单", "麻烦", "收货", "在"];

const context = (words: readonly string[], joiner: string) => fc.array(fc.constantFrom(...words), { maxLength: 6 }).map((w) => w.join(joiner));
const englishContext = context(ENGLISH_WORDS, " ");
const chineseContext = context(CHINESE_WORDS, "");

/** A message in one language with 1–3 planted values, each between separators people type. */
export const message: fc.Arbitrary<GeneratedMessage> = fc
  .constantFrom("en", "zh")
  .chain((lang) => {
    const around = lang === "en" ? englishContext : chineseContext;
    const separators = lang === "en" ? [" ", ", ", ": ", " - "] : ["", "，", "：", " ", "。"];
    const planted = fc.oneof(phone, chineseAddress, englishAddress);
    const part = fc.tuple(around, fc.constantFrom(...separators), planted, fc.constantFrom(...separators));
    // Two values run together ("1398765012313700001234") are one unreadable number to anyone.
    const between = lang === "en" ? " " : "，";
    return fc.tuple(fc.array(part, { minLength: 1, maxLength: 3 }), around, fc.constant(between));
  })
  .map(([parts, tail, between]) => ({
    text: parts.map(([before, open, planted, close]) => `${before}${open}${planted.text}${close}`).join(between) + tail,
    planted: parts.map(([, , planted]) => planted),
  }));

/** A message with no value in it, in either language: nothing to seal. */
export const plainMessage: fc.Arbitrary<string> = fc.oneof(
  englishContext,
  chineseContext,
  fc.tuple(englishContext, chineseContext).map(([en, zh]) => `${en} ${zh}`),
);

/** Digits as a reader sees them in stored text: NFKC, Chinese digit characters read as digits. */
function digitRuns(text: string): string[] {
  const folded = text.normalize("NFKC").replace(/[零〇一幺二两三四五六七八九]/g, (c) => {
    const entry = Object.entries(HAN_DIGITS).find(([, chars]) => chars.includes(c));
    return entry ? entry[0] : c;
  });
  // Separators people put inside a number stay inside the run; anything else ends it.
  return folded.split(/[^0-9 .()+-]+/).map((run) => run.replace(/\D/g, ""));
}

/** Whether `stored` (an event as JSON, or a text) still shows a planted value. */
export function shows(stored: string, planted: Planted): boolean {
  if (planted.kind === "phone") return stored.includes(planted.text) || digitRuns(stored).some((run) => run.includes(planted.secret));
  const lower = stored.toLowerCase();
  return lower.includes(planted.text.toLowerCase()) || lower.includes(planted.secret.toLowerCase());
}
