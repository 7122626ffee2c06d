import type { HandoffDef, LocalizedText } from "../dialog/index.js";
import { findChineseNumerals } from "../dialog/nlu/chinese-numerals.js";
import type { Lang } from "../dialog/template.js";
import { localize, renderTemplate } from "../dialog/template.js";
import type { HandoffFold } from "./handoff-events.js";

/** What a user message does while a handoff is on (or a rating is awaited). */
export type HandoffRoute =
  | { kind: "dialog" }
  | { kind: "rating"; score: number }
  | { kind: "cancel" }
  | { kind: "forward" }
  | { kind: "draft" }
  | { kind: "ticket" }
  | { kind: "keep_waiting" };

/** Whole messages that leave the line (never a phrase inside a sentence: "don't cancel my order" is for the agent). */
const CANCEL = new Set([
  "back",
  "go back",
  "back to the bot",
  "cancel",
  "never mind",
  "nevermind",
  "stop",
  "bot",
  "返回",
  "取消",
  "算了",
  "不用了",
  "不等了",
  "回到机器人",
]);
const LEAVE_MESSAGE = new Set(["leave a message", "message", "leave message", "write a message", "留言", "我要留言"]);
const KEEP_WAITING = new Set(["keep waiting", "wait", "i'll wait", "i will wait", "继续等", "继续等待", "我等"]);

/** Lower case, no surrounding spaces or end punctuation: "Back!" and "返回。" are "back" and "返回". */
function bare(text: string): string {
  return text
    .normalize("NFKC")
    .trim()
    .toLowerCase()
    .replace(/[\s.!?。！？~～,，]+$/u, "");
}

/** A 1–5 score said alone ("4", "4/5", "四", "5 stars"). */
export function scoreOf(text: string): number | null {
  const said = bare(text).replace(/\s*(\/\s*5|stars?|分|星)$/u, "");
  const digit = /^[1-5]$/.exec(said)?.[0];
  if (digit) return Number(digit);
  const [numeral] = findChineseNumerals(said);
  return numeral && numeral.start === 0 && numeral.end === said.length && numeral.value >= 1 && numeral.value <= 5 ? numeral.value : null;
}

/**
 * Where a message goes: to the bot, or — while the conversation waits for or is held by an agent
 * — to the agent, unless it is one of the few whole-message answers the bot still takes ("back",
 * "leave a message", "keep waiting"). Out of office, any message is the message for the team.
 */
export function routeOf(fold: HandoffFold, text: string): HandoffRoute {
  const { handoff } = fold;
  const said = bare(text);
  if (handoff === null) {
    const score = fold.ratingFor === null ? null : scoreOf(text);
    return score === null ? { kind: "dialog" } : { kind: "rating", score };
  }
  if (CANCEL.has(said)) return { kind: "cancel" };
  if (handoff.status === "unavailable") return { kind: "ticket" };
  if (handoff.status === "held") return { kind: "forward" };
  if (handoff.offer === "drafting") return { kind: "ticket" };
  if (handoff.offer === "expired" && LEAVE_MESSAGE.has(said)) return { kind: "draft" };
  if (handoff.offer === "expired" && KEEP_WAITING.has(said)) return { kind: "keep_waiting" };
  return { kind: "forward" };
}

type HandoffMessages = HandoffDef["messages"];
export type HandoffText = keyof HandoffMessages | "draftPrompt" | "keptWaiting" | "joined" | "left" | "transferred";

/** What the bot says around a handoff unless the bot's `handoff.messages` says otherwise. */
const DEFAULTS: Readonly<Record<HandoffText, LocalizedText>> = {
  queued: {
    en: 'You\'re number {{position}} in line; an agent should be with you {{wait}}. Say "back" to return to the bot.',
    zh: "您排在第 {{position}} 位，预计{{wait}}有客服接待。说“返回”可回到机器人。",
  },
  noAgents: {
    en: 'No agent is available right now{{hours}}. Type your message and the team will answer you here, or say "back" to return to the bot.',
    zh: "现在没有客服在线{{hours}}。您可以直接留言，客服会在这里回复您；说“返回”可回到机器人。",
  },
  waitExpired: {
    en: 'Sorry for the wait: no agent is free yet. Say "leave a message" to write to the team, "keep waiting" to stay in line, or "back" to return to the bot.',
    zh: "抱歉让您久等了，暂时还没有空闲的客服。说“留言”给客服留言，说“继续等”继续排队，或说“返回”回到机器人。",
  },
  draftPrompt: { en: "Please type your message for the team.", zh: "请输入您的留言。" },
  ticketTaken: { en: "Thanks, your message is with the team. They'll answer you here.", zh: "收到，您的留言已转给客服，他们会在这里回复您。" },
  keptWaiting: { en: "OK, you're still in line.", zh: "好的，您仍在排队中。" },
  cancelled: { en: "OK, you're back with the bot. How can I help?", zh: "好的，已回到机器人，请问有什么可以帮您？" },
  resumed: { en: "Glad we could help. I'm the bot again: ask me anything.", zh: "很高兴能帮到您。现在由机器人继续为您服务。" },
  ratingAsk: { en: "How would you rate the help you got, from 1 (poor) to 5 (great)?", zh: "请为本次服务打分：1（很差）到 5（很好）。" },
  ratingThanks: { en: "Thank you for your rating!", zh: "感谢您的评价！" },
  joined: { en: "{{agent}} joined the chat", zh: "客服 {{agent}} 已接入" },
  left: { en: "{{agent}} left the chat", zh: "客服 {{agent}} 已离开" },
  transferred: { en: "{{agent}} passed you to the {{queue}} team", zh: "{{agent}} 已将您转接到 {{queue}} 组" },
};

/** A handoff text in the user's language: the bot's own wording when it has one, else the default. */
export function handoffText(def: HandoffDef, which: HandoffText, lang: Lang, values: Record<string, string> = {}): string {
  const own = which in def.messages ? def.messages[which as keyof HandoffMessages] : undefined;
  return renderTemplate(localize(own ?? DEFAULTS[which], lang), (name) => values[name]);
}

/** "in about 3 minutes" / "约3分钟后"; "shortly" / "很快" without a guess. */
export function waitPhrase(etaSeconds: number | null, lang: Lang): string {
  if (etaSeconds === null) return lang === "zh" ? "很快" : "shortly";
  const minutes = Math.max(1, Math.round(etaSeconds / 60));
  return lang === "zh" ? `约${minutes}分钟后` : `in about ${minutes} minute${minutes === 1 ? "" : "s"}`;
}

const DAY_NAMES: Readonly<Record<string, { en: string; zh: string }>> = {
  mon: { en: "Mon", zh: "周一" },
  tue: { en: "Tue", zh: "周二" },
  wed: { en: "Wed", zh: "周三" },
  thu: { en: "Thu", zh: "周四" },
  fri: { en: "Fri", zh: "周五" },
  sat: { en: "Sat", zh: "周六" },
  sun: { en: "Sun", zh: "周日" },
};

/** Office hours as a user reads them: "Mon, Tue, Wed 09:00–18:00 (Asia/Shanghai)", "周一、周二 09:00–18:00". */
export function describeOfficeHours(hours: NonNullable<HandoffDef["officeHours"]>, lang: Lang): string {
  const ranges = hours.open.map(
    (range) => `${range.days.map((day) => DAY_NAMES[day]?.[lang] ?? day).join(lang === "zh" ? "、" : ", ")} ${range.from}–${range.to}`,
  );
  return `${ranges.join(lang === "zh" ? "；" : "; ")}${lang === "zh" ? `（${hours.timeZone}）` : ` (${hours.timeZone})`}`;
}
