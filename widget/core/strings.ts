import type { ConnectionStatus } from "./connection.js";
import type { VoiceProblem } from "./voice-turns.js";

/** What the line under the conversation says during a voice turn. */
export type VoiceNote = "recording" | "sending" | "transcribing" | "replying" | VoiceProblem;

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
  /** A human agent's message whose author has no name. */
  agent: string;
  /** A human agent's message: "{name}" is their display name. */
  agentNamed: string;
  /** A human agent typing: "{name}" is their display name. */
  agentTyping: string;
  sending: string;
  notSent: string;
  status: Record<ConnectionStatus, string>;
  /** The microphone button's name; it keeps it while recording (aria-pressed says that). */
  record: string;
  /** The player of the bot's spoken reply. */
  spokenReply: string;
  voice: Record<VoiceNote, string>;
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
  agent: "Agent",
  agentNamed: "{name} (agent)",
  agentTyping: "{name} is typing…",
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
  record: "Record a voice message",
  spokenReply: "Spoken reply",
  voice: {
    recording: "Recording… press the microphone again to send.",
    sending: "Sending your voice message…",
    transcribing: "Transcribing your voice message…",
    replying: "Preparing the spoken reply…",
    blocked: "The microphone is blocked. Allow it in your browser to send voice messages, or type instead.",
    microphone: "The microphone could not be started. Please type your message instead.",
    busy: "Your earlier voice messages are still being processed. Please try again in a moment.",
    tooLong: "That recording is too long. Please send a shorter one.",
    notSent: "Sorry, the voice message could not be sent. Please try again or type instead.",
    notProcessed: "Sorry, the voice message could not be processed. Please try again or type instead.",
    notPlayed: "The spoken reply could not be played; the answer is shown as text.",
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
  agent: "人工客服",
  agentNamed: "{name}（人工客服）",
  agentTyping: "{name} 正在输入…",
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
  record: "录制语音消息",
  spokenReply: "语音回复",
  voice: {
    recording: "正在录音…再次点击麦克风即可发送。",
    sending: "正在发送语音消息…",
    transcribing: "正在识别语音…",
    replying: "正在生成语音回复…",
    blocked: "麦克风已被禁用。请在浏览器中允许使用麦克风，或直接输入文字。",
    microphone: "无法启动麦克风，请直接输入文字。",
    busy: "之前的语音消息仍在处理中，请稍后再试。",
    tooLong: "录音太长了，请录制一段较短的语音。",
    notSent: "抱歉，语音消息发送失败。请重试或直接输入文字。",
    notProcessed: "抱歉，语音消息无法处理。请重试或直接输入文字。",
    notPlayed: "无法播放语音回复，回复内容已以文字显示。",
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
