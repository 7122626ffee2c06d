import type { ActionOverride } from "./harness.js";

/** A conversation as data (stories/*.json): each turn says what the user types and what must follow. */
export interface StoryTurn {
  user: string;
  after?: number;
  bot?: string;
  botNot?: string;
  quickReplies?: string[];
  /** expected slot values; null = absent */
  slots?: Record<string, string | number | null>;
  flow?: string | null;
  intent?: string | null;
  events?: string[];
  noEvents?: string[];
  actions?: { name: string; kind?: "builtin" | "webhook" }[];
}

export interface Story {
  name: string;
  bot?: string;
  actions?: Record<string, ActionOverride>;
  turns: StoryTurn[];
}
