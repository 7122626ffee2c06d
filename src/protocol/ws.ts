/**
 * Constants of the WebSocket contract that carry no zod: the widget imports them, and
 * its bundle must stay small (the frame schemas live in frames.ts).
 */

/** The WebSocket subprotocol of this contract; a token rides next to it as `bearer.<JWT>`. */
export const WS_SUBPROTOCOL = "parley.v1";
export const WS_BEARER_PREFIX = "bearer.";

/** A frame longer than this is refused unparsed: a `say` at the 2000-character limit fits easily. */
export const MAX_CLIENT_FRAME_BYTES = 16 * 1024;

/**
 * Close codes. 4400–4499 mean "do not reconnect with these credentials": the token is
 * missing, invalid, expired or revoked (4401) or lacks the `chat` scope (4403).
 * 4205 means the conversation was erased: reconnect at once and `hello` from seq 0.
 */
export const WS_CLOSE = {
  reset: 4205,
  unauthorized: 4401,
  forbidden: 4403,
} as const;

export function isTerminalCloseCode(code: number): boolean {
  return code >= 4400 && code <= 4499;
}

/**
 * The exact text of a ping frame: the actor answers it without waking from hibernation
 * (`setWebSocketAutoResponse` matches byte for byte). Other spellings still get a pong.
 */
export const PING_FRAME = '{"type":"ping"}';
export const PONG_FRAME = '{"type":"pong"}';
