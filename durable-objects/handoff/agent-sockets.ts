import type { AgentRef } from "../../src/handoff/types.js";
import type { AgentClientFrame, AgentServerFrame } from "../../src/protocol/agent-frames.js";
import { parseAgentFrame } from "../../src/protocol/agent-frames.js";
import { PING_FRAME, PONG_FRAME, WS_CLOSE } from "../../src/protocol/ws.js";
import { isTokenExpired } from "../../src/security/token-time.js";
import { SOCKET_EXPIRES_HEADER, echoableCloseCode, subprotocolHeaders } from "../conversation/sockets.js";

/** Headers the gateway sets on the upgrade it forwards: the verified agent (the name URI-encoded). */
export const AGENT_ID_HEADER = "x-parley-agent";
export const AGENT_NAME_HEADER = "x-parley-agent-name";
export { SOCKET_EXPIRES_HEADER };

export type Presence = "online" | "away";

/** What each agent socket carries through hibernation. */
export interface AgentAttachment {
  agentId: string;
  agentName: string;
  presence: Presence;
  /** epoch ms: the token's `exp`; the first frame after it closes the socket with 4401 */
  expiresAt: number;
}

/** A frame from a live agent socket, with who sent it. */
export interface AgentFrameIn {
  agent: AgentRef;
  frame: AgentClientFrame;
}

/** Sockets are tagged by agent: a user message reaches its agent's sockets without a scan. */
function tagOf(agentId: string): string {
  return `agent:${agentId}`.slice(0, 256);
}

/**
 * The agents' WebSockets of one queue, on the Hibernation API: the agent and its presence live
 * in each socket's attachment, pings are answered without waking the queue, and a socket
 * outlives the queue's eviction.
 */
export class AgentSockets {
  constructor(
    private readonly ctx: DurableObjectState,
    private readonly now: () => number = Date.now,
  ) {
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING_FRAME, PONG_FRAME));
  }

  /** Accepts the upgrade the gateway authenticated; `greeting` are the first frames (line, held). */
  accept(request: Request, greeting: (agent: AgentRef) => AgentServerFrame[]): Response {
    const agentId = request.headers.get(AGENT_ID_HEADER);
    const agentName = decodeName(request.headers.get(AGENT_NAME_HEADER)) ?? agentId;
    const expiresAt = Number(request.headers.get(SOCKET_EXPIRES_HEADER));
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket" || !agentId || !agentName || !Number.isFinite(expiresAt)) {
      return new Response("expected a WebSocket upgrade from the gateway", { status: 400 });
    }
    const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
    this.ctx.acceptWebSocket(server, [tagOf(agentId)]);
    const attachment: AgentAttachment = { agentId, agentName, presence: "online", expiresAt };
    server.serializeAttachment(attachment);
    for (const frame of greeting({ agentId, agentName })) send(server, frame);
    return new Response(null, { status: 101, webSocket: client, headers: subprotocolHeaders(request) });
  }

  /**
   * Reads a frame: a bad one is answered with an `error` frame, a ping with a pong, a presence
   * change is kept in the attachment; anything else comes back for the queue to act on.
   */
  read(ws: WebSocket, raw: string | ArrayBuffer): AgentFrameIn | null {
    const attachment = attachmentOf(ws);
    if (!attachment) {
      closeQuietly(ws, 1011, "socket state lost");
      return null;
    }
    if (isTokenExpired(attachment.expiresAt, this.now())) {
      closeQuietly(ws, WS_CLOSE.unauthorized, "token expired");
      return null;
    }
    const parsed = parseAgentFrame(raw);
    if (!parsed.ok) {
      send(ws, parsed.error);
      return null;
    }
    const { frame } = parsed;
    if (frame.type === "ping") {
      send(ws, { type: "pong" });
      return null;
    }
    if (frame.type === "presence") {
      ws.serializeAttachment({ ...attachment, presence: frame.status } satisfies AgentAttachment);
      return null;
    }
    return { agent: { agentId: attachment.agentId, agentName: attachment.agentName }, frame };
  }

  /** The client closed: answer its close frame (see ConversationSockets.closed). */
  closed(ws: WebSocket, code: number, reason = ""): void {
    closeQuietly(ws, echoableCloseCode(code), reason);
  }

  sendTo(ws: WebSocket, frame: AgentServerFrame): void {
    send(ws, frame);
  }

  /** A frame for every agent connected to this queue. */
  broadcast(frame: AgentServerFrame): void {
    const text = JSON.stringify(frame);
    for (const ws of this.ctx.getWebSockets()) sendText(ws, text);
  }

  /** A frame for every socket of one agent (several tabs, a page reloading). */
  toAgent(agentId: string, frame: AgentServerFrame): void {
    const text = JSON.stringify(frame);
    for (const ws of this.ctx.getWebSockets(tagOf(agentId))) sendText(ws, text);
  }

  /** Distinct agents with a socket whose presence is online. */
  agentsOnline(): number {
    const online = new Set<string>();
    for (const ws of this.ctx.getWebSockets()) {
      const attachment = attachmentOf(ws);
      if (attachment?.presence === "online") online.add(attachment.agentId);
    }
    return online.size;
  }
}

function decodeName(header: string | null): string | null {
  if (!header) return null;
  try {
    return decodeURIComponent(header);
  } catch {
    return null;
  }
}

function attachmentOf(ws: WebSocket): AgentAttachment | null {
  const value: unknown = ws.deserializeAttachment();
  if (typeof value !== "object" || value === null) return null;
  const attachment = value as Partial<AgentAttachment>;
  return typeof attachment.agentId === "string" && typeof attachment.agentName === "string" && typeof attachment.expiresAt === "number"
    ? (value as AgentAttachment)
    : null;
}

function send(ws: WebSocket, frame: AgentServerFrame): void {
  sendText(ws, JSON.stringify(frame));
}

function sendText(ws: WebSocket, text: string): void {
  try {
    ws.send(text);
  } catch {
    // The socket closed under us; its close event tidies up.
  }
}

function closeQuietly(ws: WebSocket, code: number, reason: string): void {
  try {
    ws.close(code, reason);
  } catch {
    // Already closed.
  }
}
