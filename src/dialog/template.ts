import type { LocalizedText } from "./schema.js";

export type Lang = "en" | "zh";

const PLACEHOLDER = /\{\{\s*([A-Za-z_$][\w$]*)\s*\}\}/g;

/**
 * Fills `{{name}}` placeholders in one pass. Values (slot values, user text) are
 * inserted as literal text and never scanned again, so a user who types "{{phone}}"
 * sees "{{phone}}" back, not someone's phone number.
 *
 * No HTML escaping on purpose: replies are plain text and every client (the widget
 * included) renders them with `textContent`, never `innerHTML`. Entity-escaping here
 * would show "&lt;b&gt;" to users; markup in a slot value must simply come out as the
 * same literal characters. Unknown names render as the empty string.
 *
 * @example renderTemplate("Size {{size}}?", (n) => (n === "size" ? "{{phone}}" : undefined)) // → "Size {{phone}}?"
 */
export function renderTemplate(template: string, lookup: (name: string) => string | undefined): string {
  return template.replace(PLACEHOLDER, (_match, name: string) => lookup(name) ?? "");
}

/** The variant for `lang`, else the other one (a bot may be written in one language only). */
export function localize(text: LocalizedText, lang: Lang): string {
  if (typeof text === "string") return text;
  return text[lang] ?? text.en ?? text.zh ?? "";
}

/** Shows the last four characters only: what a reply or an API answer may reveal of a sensitive value. */
export function maskValue(value: string | number): string {
  const text = String(value);
  return `***${text.slice(-4)}`;
}
