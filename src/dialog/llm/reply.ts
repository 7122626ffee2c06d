import type { GenerationRequest } from "../engine/step-draft.js";
import type { Reply } from "../types.js";

/**
 * The reply with its scripted part (the request's `scripted`) replaced by a generated text that
 * passed `checkReply`; the rest of the reply (a pending question asked again, quick replies)
 * stays. The generated text is inserted literally (`$&` in it is not a pattern).
 *
 * @example replaceScripted({ text: "Returns: 30 days.\nWhat size?" }, request, "You have 30 days to return them.")
 *   // → { text: "You have 30 days to return them.\nWhat size?" }
 */
export function replaceScripted(reply: Reply, request: Pick<GenerationRequest, "scripted">, generated: string): Reply {
  const at = reply.text.indexOf(request.scripted);
  if (at < 0) return reply;
  return { ...reply, text: reply.text.slice(0, at) + generated + reply.text.slice(at + request.scripted.length) };
}
