// @ts-check
// Pure helpers of the /agent page: wait times, summaries, canned replies, ids. No DOM, no
// storage: unit-tested in Node (test/unit/widget/agent-page-format.test.ts).

/**
 * How long someone has waited, short and exact enough to compare at a glance.
 * @param {number} seconds
 * @returns {string} "45 s", "2 min 05 s", "1 h 03 min"
 */
export function formatWait(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min ${String(s % 60).padStart(2, "0")} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

/**
 * The seconds waited now, from what the server said and when it said it.
 * @param {number} waitedSeconds as the server counted them
 * @param {number} receivedAt epoch ms the page received that figure
 * @param {number} now epoch ms
 */
export function waitedNow(waitedSeconds, receivedAt, now) {
  return waitedSeconds + Math.max(0, Math.floor((now - receivedAt) / 1000));
}

/** @type {Record<string, string>} */
const LANGUAGES = { en: "English", zh: "Chinese (中文)" };

/** @param {string} code */
export function languageName(code) {
  return LANGUAGES[code] ?? code;
}

/**
 * The slots of a summary as one line; values arrive masked (`***5678`) and stay so.
 * @param {Record<string, string | number>} slots
 */
export function slotsText(slots) {
  const pairs = Object.entries(slots).map(([name, value]) => `${name}: ${value}`);
  return pairs.length > 0 ? pairs.join(" · ") : "none";
}

/**
 * A reason as the bot names it ("order_problem"), for people ("order problem").
 * @param {string} reason
 */
export function reasonText(reason) {
  return reason.replaceAll("_", " ");
}

/**
 * A canned reply in the conversation's language, else in the other one.
 * @param {string | { en?: string, zh?: string }} text
 * @param {string} language "en" or "zh"
 */
export function cannedText(text, language) {
  if (typeof text === "string") return text;
  const other = language === "zh" ? text.en : text.zh;
  return (language === "zh" ? text.zh : text.en) ?? other ?? "";
}

/** Who wrote a message, as the agent reads the history. */
const ROLE_NAMES = { user: "Customer", bot: "Bot", agent: "Agent", system: "" };

/**
 * @param {{ role: "user" | "bot" | "agent" | "system", author?: { id: string, name: string } }} message
 * @param {string} [selfId] the signed-in agent: their own messages say "You"
 */
export function speakerName(message, selfId) {
  if (message.role === "agent") {
    if (message.author && message.author.id === selfId) return "You";
    return message.author ? `${message.author.name} (agent)` : ROLE_NAMES.agent;
  }
  return ROLE_NAMES[message.role];
}

/**
 * A new id for a reply or a note (`clientMessageIdSchema`: 1–64 of [A-Za-z0-9_-]): 128 random
 * bits, made once per send and kept with the text until the server has it.
 */
export function newMessageId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * The claims of a JWT, read without verifying it: only to greet the agent by name. The server
 * verifies the token on every request.
 * @param {string} token
 * @returns {{ sub?: string, name?: string, scope?: string, exp?: number }}
 */
export function tokenClaims(token) {
  const part = token.split(".")[1];
  if (!part) return {};
  try {
    const json = atob(
      part
        .replaceAll("-", "+")
        .replaceAll("_", "/")
        .padEnd(Math.ceil(part.length / 4) * 4, "="),
    );
    const bytes = Uint8Array.from(json, (char) => char.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes));
    return typeof claims === "object" && claims !== null ? claims : {};
  } catch {
    return {};
  }
}

/**
 * A queue's key on the page and in storage.
 * @param {string} bot
 * @param {string} queue
 */
export function queueKey(bot, queue) {
  return `${bot}:${queue}`;
}

/** How bots and queues are named (botIdSchema in src/protocol/admin.ts, queueNameSchema in agent.ts). */
export const BOT_ID = /^[A-Za-z0-9._-]{1,64}$/;
export const QUEUE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
