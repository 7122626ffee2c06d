/**
 * Every fault `npm run chaos` runs, in this order (`--only name,…` picks some, in its own order).
 * Any order works: the agent sockets that closed 1006 right after the `llm` fault were refused
 * with a 404 while the gateway still held the previous rollout (agents.ts now reconnects past it).
 */
import type { Fault } from "../fault.js";
import { agents } from "./agents.js";
import { coldBurst } from "./cold-burst.js";
import { crash } from "./crash.js";
import { hostile } from "./hostile.js";
import { llm } from "./llm.js";
import { payments } from "./payments.js";
import { races } from "./races.js";
import { sockets } from "./sockets.js";
import { speech } from "./speech.js";

export const FAULTS: readonly Fault[] = [crash, races, sockets, hostile, payments, speech, agents, llm, coldBurst];
