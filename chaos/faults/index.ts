/**
 * Every fault `npm run chaos` runs, in this order (`--only name,…` picks some). `llm` runs after
 * `agents`: right after its `kill -9` and restart, the agents fault's sockets closed 1006 on all
 * three tries (seen 2 of 2 with `--smoke --only payments,llm,agents`; reported, not yet explained).
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
