import { formatMoney } from "../campaign/money.js";
import type { PayoutNotice } from "../campaign/types.js";
import type { CompiledBot, LocalizedText } from "../dialog/index.js";
import { replyLanguage } from "../dialog/reducer.js";
import { localize, renderTemplate } from "../dialog/template.js";
import { appendEvents } from "./append.js";
import type { StoredEvent } from "./events.js";
import type { ConversationState } from "./state.js";

const DEFAULT_PAID: LocalizedText = {
  en: "Your {{amount}} prize has been paid into your account. Enjoy!",
  zh: "您的{{amount}}奖金已到账，请查收！",
};
const DEFAULT_FAILED: LocalizedText = {
  en: "Sorry, we couldn't pay your {{amount}} prize into your account. Please contact our support team and we'll sort it out.",
  zh: "抱歉，您的{{amount}}奖金未能到账，请联系客服为您处理。",
};

export interface NoticeOutcome {
  events: StoredEvent[];
  state: ConversationState;
  text: string;
  /** seq of the bot's message */
  seq: number;
}

/**
 * What a payout's end adds to the winner's conversation: `payout.paid` or `payout.failed`,
 * then the bot's message in the user's language (the bot's `messages.payoutPaid` /
 * `payoutFailed`, else a default). Pure: the actor commits the events.
 */
export function payoutNoticeEvents(state: ConversationState, notice: PayoutNotice, bot: CompiledBot, at: number): NoticeOutcome {
  const { drawId, prizeId, amount, currency, reason } = notice;
  const messages = bot.definition.messages;
  const template = notice.outcome === "paid" ? (messages.payoutPaid ?? DEFAULT_PAID) : (messages.payoutFailed ?? DEFAULT_FAILED);
  const values: Record<string, string> = { amount: formatMoney(amount, currency), prize: prizeId, reason: reason ?? "" };
  const text = renderTemplate(localize(template, replyLanguage(state.dialog, bot.definition.defaultLanguage)), (name) => values[name]);
  const change = appendEvents(state, at, [
    { type: notice.outcome === "paid" ? "payout.paid" : "payout.failed", v: 1, drawId, prizeId, amount, currency, ...(reason ? { reason } : {}) },
    { type: "message.bot", v: 1, text, botVersion: bot.version },
  ]);
  return { ...change, text, seq: change.state.seq };
}
