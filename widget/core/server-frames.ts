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
    case "typing":
    case "pong":
      return frame as ServerFrame;
    default:
      return null;
  }
}

function isMessage(frame: Record<string, unknown>): boolean {
  const quickReplies = frame["quickReplies"];
  return (
    Number.isInteger(frame["seq"]) &&
    (frame["role"] === "user" || frame["role"] === "bot") &&
    typeof frame["text"] === "string" &&
    typeof frame["at"] === "number" &&
    (quickReplies === undefined || (Array.isArray(quickReplies) && quickReplies.every((reply) => typeof reply === "string")))
  );
}
