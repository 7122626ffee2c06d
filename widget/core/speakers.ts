import type { UiStrings } from "./strings.js";
import type { TimelineMessage } from "./timeline.js";

/** Who a message is from, as the list shows it. */
export interface Speaker {
  /** Read before the text by screen readers only: "You: ", "Anna (agent): "; empty on a system line. */
  prefix: string;
  /** Shown above the bubble: an agent's name and role; empty for the user and the bot. */
  label: string;
}

/** Puts a display name into a template of the strings ("{name} is typing…"). */
export function withName(template: string, name: string): string {
  return template.split("{name}").join(name);
}

/**
 * The speaker of a message. A human agent's message is named ("Anna (agent)") so the user
 * knows a person is answering; one without an author is still marked as an agent's.
 * A system line ("Anna joined the chat") carries its subject in its own text.
 */
export function speakerOf(message: Pick<TimelineMessage, "role" | "author">, strings: UiStrings): Speaker {
  switch (message.role) {
    case "user":
      return { prefix: `${strings.you}: `, label: "" };
    case "bot":
      return { prefix: `${strings.bot}: `, label: "" };
    case "agent": {
      const name = message.author?.name.trim();
      const label = name ? withName(strings.agentNamed, name) : strings.agent;
      return { prefix: `${label}: `, label };
    }
    case "system":
      return { prefix: "", label: "" };
  }
}

/** The typing indicator's words: the agent's name when a person types, the bot's line otherwise. */
export function typingText(agentName: string | null, strings: UiStrings): string {
  const name = agentName?.trim();
  return name ? withName(strings.agentTyping, name) : strings.typing;
}
