/**
 * Every fault `npm run chaos` runs, in this order (`--only name,…` picks some).
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

export const FAULTS: readonly Fault[] = [crash, races, sockets, hostile, payments, speech, llm, agents, coldBurst];
