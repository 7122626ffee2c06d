import type { CompiledBot } from "../compile.js";
import { maskValue } from "../template.js";

/** A JWT (three base64url parts, the first a JSON header), a bearer credential, an API key shape, a long opaque token. */
const SECRETS: readonly RegExp[] = [
  /\beyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*/g,
  /\bbearer\s+[\w.~+/=-]{8,}/gi,
  /\b(?:sk|pk|rk|ghp|gho|xox[abpr])[-_][\w-]{12,}/gi,
  /\b[A-Za-z0-9+/_-]{40,}={0,2}/g,
];

/**
 * What may go to a model of a user's text: every value the bot's sensitive recognizers find
 * masked as a reply would show it (`***0123`), and anything shaped like a token or a key
 * replaced outright. Callers mask what they store; this masks again, on the way out.
 *
 * @example maskForModel(shop, "call me on 139 8765 0123") // → "call me on ***0123"
 */
export function maskForModel(bot: CompiledBot, text: string): string {
  let out = "";
  let at = 0;
  for (const match of bot.sensitive.find(text)) {
    if (match.start < at) continue;
    out += text.slice(at, match.start) + maskValue(text.slice(match.start, match.end));
    at = match.end;
  }
  out += text.slice(at);
  return SECRETS.reduce((masked, pattern) => masked.replace(pattern, "[secret]"), out);
}
