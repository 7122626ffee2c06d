import { OpenAPIHono, createRoute } from "@hono/zod-openapi";
import { UnknownBotError } from "../../../platform/bot-catalog.js";
import type { Proposal } from "../../../platform/llm-propose.js";
import { proposeCommands } from "../../../platform/llm-propose.js";
import { initialDialogState, parseUtterance } from "../../../src/dialog/index.js";
import type { ParseLlm } from "../../../src/protocol/admin.js";
import { botParamsSchema, parseAnswerSchema, parseBodySchema } from "../../../src/protocol/admin.js";
import { ApiError } from "../../../src/protocol/errors.js";
import type { GatewayEnv } from "../context.js";
import { validationHook } from "../errors.js";
import { jsonBody } from "../middleware/json-body.js";
import { authErrors, bearerSecurity, bodyErrors } from "../openapi.js";
import { adminOnly, catalogOf, errorDoc } from "./admin-common.js";

const parse = createRoute({
  method: "post",
  path: "/v1/admin/bots/{bot}/parse",
  summary: "What the NLU of a bot version (default: stable) makes of a sentence",
  security: bearerSecurity,
  middleware: [jsonBody(), ...adminOnly],
  request: { params: botParamsSchema, body: { required: true, content: { "application/json": { schema: parseBodySchema } } } },
  responses: {
    200: {
      description:
        "intent, confidence, entities, alternatives, the nearest knowledge and small-talk entries with their scores; with a language model, the commands it proposed and what validation kept",
      content: { "application/json": { schema: parseAnswerSchema } },
    },
    404: errorDoc("no such bot or version"),
    ...bodyErrors,
    ...authErrors,
  },
});

/**
 * Parses with the catalog's compiled bot: the very model conversations in this isolate use.
 * With the version's language model, also what it proposes for the text from a new
 * conversation's state, validated as a turn would (the call is counted in parley_llm_*).
 */
export const adminParseRoutes = new OpenAPIHono<GatewayEnv>({ defaultHook: validationHook }).openapi(parse, async (c) => {
  const { bot } = c.req.valid("param");
  const { text, version, llm } = c.req.valid("json");
  const catalog = catalogOf(c.env);
  try {
    const compiled = await catalog.version(bot, version ?? (await catalog.rollout(bot)).stable);
    const parsed = { ...parseUtterance(compiled, text), botVersion: compiled.version };
    const proposal = (llm ?? compiled.definition.llm?.understand === true) ? await proposeCommands(c.env, compiled, text, initialDialogState(), []) : null;
    return c.json(proposal ? { ...parsed, llm: proposalAnswer(proposal) } : parsed, 200);
  } catch (error) {
    if (error instanceof UnknownBotError) throw new ApiError("not_found", error.message);
    throw error;
  }
});

/** A proposal as the parse answer shows it: the call's outcome, the raw commands, the verdicts. */
function proposalAnswer({ call, parsed, validated }: Proposal): ParseLlm {
  const error = call.ok ? parsed.error : call.reason;
  return {
    outcome: call.ok ? "ok" : call.failure,
    ...(error === undefined ? {} : { error }),
    proposed: parsed.commands,
    accepted: validated.accepted,
    dropped: validated.dropped,
  };
}
