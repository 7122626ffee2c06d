import type { ConnectionStatus } from "./connection.js";

export type Locale = "en" | "zh";

export interface UiStrings {
  openChat: string;
  closeChat: string;
  title: string;
  messages: string;
  input: string;
  placeholder: string;
  send: string;
  quickReplies: string;
  typing: string;
  you: string;
  bot: string;
  sending: string;
  notSent: string;
  status: Record<ConnectionStatus, string>;
}

const en: UiStrings = {
  openChat: "Open chat",
  closeChat: "Close chat",
  title: "Chat with us",
  messages: "Messages",
  input: "Message",
  placeholder: "Type a message…",
  send: "Send",
  quickReplies: "Quick replies",
  typing: "Assistant is typing…",
  you: "You",
  bot: "Assistant",
  sending: "Sending…",
  notSent: "Not sent",
  status: {
    idle: "",
    connecting: "Connecting…",
    open: "",
    waiting: "Reconnecting… your messages will be sent when the connection is back.",
    offline: "You are offline. Messages will be sent when you are back online.",
    ended: "This chat session has ended. Reload the page to start again.",
  },
};

const zh: UiStrings = {
  openChat: "打开聊天",
  closeChat: "关闭聊天",
  title: "在线客服",
  messages: "消息",
  input: "消息",
  placeholder: "输入消息…",
  send: "发送",
  quickReplies: "快捷回复",
  typing: "客服正在输入…",
  you: "我",
  bot: "客服",
  sending: "发送中…",
  notSent: "未发送",
  status: {
    idle: "",
    connecting: "正在连接…",
    open: "",
    waiting: "正在重新连接…连接恢复后消息会自动发送。",
    offline: "网络已断开，恢复联网后消息会自动发送。",
    ended: "会话已结束，请刷新页面重新开始。",
  },
};

export const STRINGS: Record<Locale, UiStrings> = { en, zh };

/** An explicit locale wins; otherwise the browser's languages decide, English by default. */
export function resolveLocale(requested: string | undefined, browserLanguages: readonly string[]): Locale {
  for (const tag of [requested, ...browserLanguages]) {
    const language = tag?.toLowerCase().split(/[-_]/)[0];
    if (language === "zh") return "zh";
    if (language === "en") return "en";
  }
  return "en";
}
