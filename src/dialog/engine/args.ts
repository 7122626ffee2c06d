import { renderTemplate } from "../template.js";
import type { Json } from "../types.js";
import type { StepDraft } from "./step-draft.js";

const WHOLE_PLACEHOLDER = /^\{\{\s*([A-Za-z_$][\w$]*)\s*\}\}$/;

/**
 * Arguments of a `call`: `"{{size}}"` alone passes the raw value (a number stays a number),
 * other strings are templates over raw values — actions get canonical, unmasked values,
 * unlike replies. `$at`, `$session`, `$bot`, `$version` give deterministic context
 * without the engine reading a clock or a random source; `$lang` is the reply language.
 */
export function callArgs(draft: StepDraft, args: Record<string, string | number | boolean | null>): Record<string, Json> {
  const lookup = (name: string): string | number | undefined => variable(draft, name);
  const out: Record<string, Json> = {};
  for (const [key, arg] of Object.entries(args)) {
    if (typeof arg !== "string") {
      out[key] = arg;
      continue;
    }
    const whole = WHOLE_PLACEHOLDER.exec(arg);
    out[key] = whole?.[1] !== undefined ? (lookup(whole[1]) ?? null) : renderTemplate(arg, (name) => stringOf(lookup(name)));
  }
  return out;
}

function variable(draft: StepDraft, name: string): string | number | undefined {
  switch (name) {
    case "$at":
      return draft.at;
    case "$session":
      return draft.state.session.id;
    case "$bot":
      return draft.bot.id;
    case "$version":
      return draft.bot.version;
    case "$lang":
      return draft.lang;
    default:
      return draft.state.slots[name]?.value;
  }
}

function stringOf(value: string | number | undefined): string | undefined {
  return value === undefined ? undefined : String(value);
}
