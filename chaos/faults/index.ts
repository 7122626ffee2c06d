/**
 * Every fault `npm run chaos` runs, in this order (`--only name,…` picks some).
 *
 * LLM faults (slow first token, stream cut midway, malformed chunks, an injection-obeying
 * model — issue 23) belong here once streamed replies land: a fake OpenAI-compatible chat
 * server with fault modes beside test/fakes/, and a fault that checks every streamed turn ends
 * with exactly one committed reply, also across a socket reconnect mid-stream.
 */
import type { Fault } from "../fault.js";
import { agents } from "./agents.js";
import { coldBurst } from "./cold-burst.js";
import { crash } from "./crash.js";
import { hostile } from "./hostile.js";
import { payments } from "./payments.js";
import { races } from "./races.js";
import { sockets } from "./sockets.js";
import { speech } from "./speech.js";

export const FAULTS: readonly Fault[] = [crash, races, sockets, hostile, payments, speech, agents, coldBurst];
