/** What came out of the model's text: the raw commands (not yet validated), and why none when it could not be read. */
export interface ParsedCommands {
  commands: unknown[];
  error?: string;
}

const FENCE = /^\s*```(?:json)?\s*([\s\S]*?)\s*```\s*$/i;

/**
 * The model's output → raw commands: `{"commands": [...]}` or a bare array, optionally inside a
 * ```json fence. Anything else is zero commands, with the reason (the engine then answers as
 * the rules would have).
 *
 * @example parseCommands('```json\n{"commands":[{"command":"chitchat"}]}\n```') // → { commands: [{ command: "chitchat" }] }
 */
export function parseCommands(text: string): ParsedCommands {
  const body = FENCE.exec(text)?.[1] ?? text.trim();
  if (body.length === 0) return { commands: [], error: "empty output" };
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { commands: [], error: "not JSON" };
  }
  if (Array.isArray(json)) return { commands: json };
  if (typeof json === "object" && json !== null && "commands" in json && Array.isArray(json.commands)) return { commands: json.commands };
  return { commands: [], error: "no commands array" };
}
