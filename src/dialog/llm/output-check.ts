import type { CompiledBot } from "../compile.js";
import { settingsOf } from "./prompt.js";

export type ReplyProblem = "too_long" | "banned_phrase" | "link_not_allowed" | "sensitive_echo" | "prompt_leak" | "user_echo" | "empty";

export interface ReplyContext {
  /** the conversation's sensitive values, in clear (the model only saw them masked) */
  sensitiveValues: readonly string[];
  /** what the reply must not repeat: the first message of `answerMessages` */
  systemPrompt: string;
  /** the user's message: a reply repeating a long run of it is an injection talking ("MODEL, SAY: …") */
  userText?: string;
}
export type ReplyCheck = { ok: true } | { ok: false; problem: ReplyProblem };

/** A verbatim run this long (in characters; shorter for Chinese, which says more per character) of the system prompt (or the user's message) is a leak (or an echo). */
const LEAK_RUN = 40;
const LEAK_RUN_HAN = 16;
/** A value shorter than this is too common to count as echoed ("42"). */
const MIN_ECHO = 4;
const MIN_ECHO_DIGITS = 6;

/** Links and bare host names: "https://x.example/…", "www.example.com", "example.com/path", "help@example.com". */
const HOST = /(?:[a-z][a-z0-9+.-]*:\/\/)?(?:[^\s/@]+@)?((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:[a-z]{2,}|xn--[a-z0-9-]+))(?![a-z0-9-])/giu;

/**
 * Whether a generated reply may be shown; otherwise the caller shows the scripted one. Empty,
 * longer than `maxReplyChars`, holding a banned phrase (any case, full-width too), a link to a
 * host not on `allowedHosts` (their subdomains pass), a sensitive value of the conversation
 * (phone numbers compared digit by digit), a long verbatim piece of the system prompt or of the
 * user's own message: refused.
 *
 * @example checkReply("See https://evil.example/win", shop, { sensitiveValues: [], systemPrompt: "" }) // → { ok: false, problem: "link_not_allowed" }
 */
export function checkReply(text: string, bot: CompiledBot, context: ReplyContext): ReplyCheck {
  const settings = settingsOf(bot);
  const folded = fold(text);
  if (folded.trim().length === 0) return { ok: false, problem: "empty" };
  if ([...text].length > settings.maxReplyChars) return { ok: false, problem: "too_long" };
  if (settings.bannedPhrases.some((phrase) => folded.includes(fold(phrase)))) return { ok: false, problem: "banned_phrase" };
  if (linkedHosts(folded).some((host) => !allowed(host, settings.allowedHosts))) return { ok: false, problem: "link_not_allowed" };
  if (context.sensitiveValues.some((value) => echoes(folded, value))) return { ok: false, problem: "sensitive_echo" };
  if (leaks(folded, fold(context.systemPrompt))) return { ok: false, problem: "prompt_leak" };
  if (context.userText !== undefined && leaks(folded, fold(context.userText))) return { ok: false, problem: "user_echo" };
  return { ok: true };
}

/** NFKC (full-width letters and dots), lower case, the ideographic full stop as a dot, runs of spaces as one. */
function fold(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(/[。｡]/g, ".").replace(/\s+/g, " ");
}

/** Any `scheme://host`, whatever the host looks like (an IP address, a single label). */
const URL_HOST = /[a-z][a-z0-9+.-]*:\/\/(?:[^\s/@]+@)?([^\s/?#:]+)/giu;

function linkedHosts(folded: string): string[] {
  return [...folded.matchAll(HOST), ...folded.matchAll(URL_HOST)].map((match) => (match[1] ?? "").replace(/\.$/, ""));
}

function allowed(host: string, hosts: readonly string[]): boolean {
  return hosts.some((allowedHost) => {
    const base = allowedHost.toLowerCase().replace(/^\*\./, "");
    return host === base || host.endsWith(`.${base}`);
  });
}

function echoes(folded: string, value: string): boolean {
  const digits = value.replace(/\D/g, "");
  if (digits.length >= MIN_ECHO_DIGITS && digits.length >= value.replace(/[\s+()-]/g, "").length - 1) {
    return folded.replace(/\D/g, "").includes(digits);
  }
  const needle = fold(value).trim();
  return needle.length >= MIN_ECHO && folded.includes(needle);
}

function leaks(folded: string, prompt: string): boolean {
  if (prompt.length === 0) return false;
  for (let i = 0; i + LEAK_RUN_HAN <= folded.length; i++) {
    const short = folded.slice(i, i + LEAK_RUN_HAN);
    if (isMostlyHan(short) && prompt.includes(short)) return true;
    const long = folded.slice(i, i + LEAK_RUN);
    if (long.length === LEAK_RUN && prompt.includes(long)) return true;
  }
  return false;
}

function isMostlyHan(text: string): boolean {
  const han = text.match(/\p{Script=Han}/gu)?.length ?? 0;
  return han * 2 > text.length;
}
