import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ConversationEvent, StoredEvent } from "../../../src/conversation/events.js";
import { sensitiveSpans } from "../../../src/conversation/redaction.js";
import { openEvent, sealEvent, sealEvents } from "../../../src/conversation/sealing.js";
import type { ConversationState } from "../../../src/conversation/state.js";
import { initialConversationState } from "../../../src/conversation/state.js";
import type { ActionPerformer } from "../../../src/conversation/turn.js";
import { runTurn } from "../../../src/conversation/turn.js";
import { parseKeyring } from "../../../src/security/keyring.js";
import { offlineAction } from "../../support/offline-actions.js";
import { loadBot } from "../dialog/harness.js";
import type { GeneratedMessage } from "./sensitive-text.js";
import { message, plainMessage, shows } from "./sensitive-text.js";

const bot = loadBot("shop");
const keyring = parseKeyring(JSON.stringify({ a: Buffer.alloc(32, 7).toString("base64") }), "a");
const builtins: ActionPerformer = async (request) => offlineAction(request);
const RUNS = { numRuns: 300 };

/** The message event as a turn hands it to the log: the recognizers' spans flagged, nothing else. */
function userMessage(text: string): ConversationEvent {
  const spans = sensitiveSpans(text, bot.sensitive.find(text), []);
  return { type: "message.user", v: 1, text, ...(spans.length > 0 ? { sensitiveSpans: spans } : {}) };
}

const leaks = (stored: string, generated: GeneratedMessage) => generated.planted.filter((planted) => shows(stored, planted));

describe("sealing a message with phone numbers and addresses in it (property)", () => {
  it("never stores a recognisable value in clear, and the export opens it back exactly", async () => {
    const ring = await keyring;
    await fc.assert(
      fc.asyncProperty(message, async (generated) => {
        const sealed = await sealEvent(userMessage(generated.text), ring, "u");
        if (sealed.type !== "message.user") throw new Error("sealing changed the event's type");
        expect(leaks(sealed.text, generated)).toEqual([]);
        expect(leaks(JSON.stringify(sealed), generated)).toEqual([]);
        expect(sealed).not.toHaveProperty("sensitiveSpans");
        expect((await openEvent(sealed, ring, "u", true)) as { text: string }).toEqual({ type: "message.user", v: 1, text: generated.text });
        expect(await openEvent(sealed, ring, "u")).toEqual(sealed);
      }),
      RUNS,
    );
  });

  it("masks one span per value at most, and leaves a message without values as it is", async () => {
    const ring = await keyring;
    await fc.assert(
      fc.asyncProperty(message, plainMessage, async (generated, plain) => {
        const sealed = (await sealEvent(userMessage(generated.text), ring, "u")) as { text: string };
        const masks = sealed.text.match(/\*\*\*/g) ?? [];
        expect(masks.length).toBeGreaterThanOrEqual(1);
        expect(masks.length).toBeLessThanOrEqual(generated.planted.length);
        expect(userMessage(plain)).toEqual({ type: "message.user", v: 1, text: plain });
      }),
      RUNS,
    );
  });
});

/** States a message can arrive in: no flow, the phone prompt, the address prompt. */
async function statesToTry(): Promise<ConversationState[]> {
  const fresh = initialConversationState();
  const atPhone = (await runTurn(fresh, { text: "I want to change my delivery address", at: 1 }, bot, builtins)).state;
  const atAddress = (await runTurn(atPhone, { text: "13700001234", at: 2 }, bot, builtins)).state;
  return [fresh, atPhone, atAddress];
}

describe("a whole turn with phone numbers and addresses in the message (property)", () => {
  it("stores no event that shows a value in clear, whatever the dialog was waiting for", async () => {
    const ring = await keyring;
    const states = await statesToTry();
    await fc.assert(
      fc.asyncProperty(message, fc.nat(states.length - 1), async (generated, which) => {
        const outcome = await runTurn(states[which]!, { text: generated.text, at: 10 }, bot, builtins);
        const stored: StoredEvent[] = await sealEvents(outcome.events, ring, "u");
        const shown = stored.flatMap(({ event }) => leaks(JSON.stringify(event), generated).map((planted) => ({ type: event.type, planted })));
        expect(shown).toEqual([]);
        const exported = await openEvent(stored[0]!.event, ring, "u", true);
        expect(exported).toMatchObject({ type: "message.user", text: generated.text });
      }),
      { numRuns: 150 },
    );
  });
});
