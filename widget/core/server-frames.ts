import type { ServerFrame } from "../../src/protocol/frames.js";

/**
 * Reads a server frame, or null for anything malformed. The zod schemas in src/protocol
 * define these frames; the widget checks just the fields it renders instead of bundling
 * zod, which alone would take most of its 20 KB budget.
 */
export function readServerFrame(data: unknown): ServerFrame | null {
  if (typeof data !== "string") return null;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const frame = value as Record<string, unknown>;
  switch (frame["type"]) {
    case "message":
      return isMessage(frame) ? (frame as ServerFrame) : null;
    case "error":
      return typeof frame["code"] === "string" && typeof frame["message"] === "string" ? (frame as ServerFrame) : null;
    case "voice":
      return typeof frame["jobId"] === "string" && typeof frame["status"] === "string" ? (frame as ServerFrame) : null;
    case "delta":
      return deltaFrame(frame);
    case "typing":
      return typingFrame(frame);
    case "pong":
      return frame as ServerFrame;
    default:
      return null;
  }
}

const ROLES: ReadonlySet<unknown> = new Set(["user", "bot", "agent", "system"]);

function isMessage(frame: Record<string, unknown>): boolean {
  const quickReplies = frame["quickReplies"];
  return (
    Number.isInteger(frame["seq"]) &&
    ROLES.has(frame["role"]) &&
    typeof frame["text"] === "string" &&
    typeof frame["at"] === "number" &&
    (quickReplies === undefined || (Array.isArray(quickReplies) && quickReplies.every((reply) => typeof reply === "string"))) &&
    (frame["author"] === undefined || isAuthor(frame["author"]))
  );
}

function isAuthor(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const author = value as Record<string, unknown>;
  return typeof author["id"] === "string" && typeof author["name"] === "string";
}

/** A piece of a reply being generated: placed by its offset, so the numbers must be sound. */
function deltaFrame(frame: Record<string, unknown>): ServerFrame | null {
  const { replyTo, offset, text, clientMessageId } = frame;
  if (!Number.isInteger(replyTo) || !Number.isInteger(offset) || (offset as number) < 0 || typeof text !== "string") return null;
  if (clientMessageId !== undefined && typeof clientMessageId !== "string") return null;
  return { type: "delta", replyTo: replyTo as number, offset: offset as number, text, ...(clientMessageId === undefined ? {} : { clientMessageId }) };
}

/** Without an author the bot is working on a reply; with one, a human agent types. */
function typingFrame(frame: Record<string, unknown>): ServerFrame | null {
  const author = frame["author"];
  if (author === undefined) return { type: "typing" };
  if (!isAuthor(author)) return null;
  const { id, name } = author as { id: string; name: string };
  return { type: "typing", author: { id, name } };
}
