import type { z } from "@hono/zod-openapi";
import { OpenAPIHono, createRoute } from "@hono/zod-openapi";
import {
  agentHistorySchema,
  claimAnswerSchema,
  endAnswerSchema,
  entryParamsSchema,
  noteAnswerSchema,
  noteBodySchema,
  replyAnswerSchema,
  replyBodySchema,
  transferAnswerSchema,
  transferBodySchema,
} from "../../../src/protocol/agent.js";
import { apiErrorOf, isRefusal } from "../../../src/protocol/errors.js";
import type { GatewayEnv } from "../context.js";
import { validationHook } from "../errors.js";
import { jsonBody } from "../middleware/json-body.js";
import { authErrors, bearerSecurity, bodyErrors } from "../openapi.js";
import { agentOf, agentOnly, errorDoc, queueOf } from "./agent-common.js";

const entryErrors = {
  403: errorDoc("the token lacks the agent scope, or another agent holds this conversation (or nobody yet: claim it first)"),
  404: errorDoc("no such bot, queue or entry"),
  503: errorDoc("the conversation (or the other queue) did not answer; nothing changed, try again"),
};

const entryPath = "/v1/agent/queues/{bot}/{queue}/entries/{entryId}";
const ok = <S extends z.ZodType>(description: string, schema: S) => ({ 200: { description, content: { "application/json": { schema } } } });
const jsonOf = <S extends z.ZodType>(schema: S) => ({ required: true, content: { "application/json": { schema } } });
const post = { method: "post", security: bearerSecurity } as const;

const claim = createRoute({
  ...post,
  path: `${entryPath}/claim`,
  summary: "Claim a waiting conversation: exactly one agent wins, the others get 409",
  middleware: agentOnly,
  request: { params: entryParamsSchema },
  responses: {
    ...ok("yours (again, if you held it already)", claimAnswerSchema),
    409: errorDoc("another agent claimed it, or it left the queue"),
    404: entryErrors[404],
    ...authErrors,
  },
});

const reply = createRoute({
  ...post,
  path: `${entryPath}/reply`,
  summary: "Send the user a message (once per messageId)",
  middleware: [jsonBody(), ...agentOnly],
  request: { params: entryParamsSchema, body: jsonOf(replyBodySchema) },
  responses: { ...ok("sent, or sent before (duplicate)", replyAnswerSchema), ...bodyErrors, ...authErrors, ...entryErrors },
});

const note = createRoute({
  ...post,
  path: `${entryPath}/notes`,
  summary: "Add an internal note (agents only, never shown to the user; once per noteId)",
  middleware: [jsonBody(), ...agentOnly],
  request: { params: entryParamsSchema, body: jsonOf(noteBodySchema) },
  responses: { ...ok("the note", noteAnswerSchema), ...bodyErrors, ...authErrors, ...entryErrors },
});

const transfer = createRoute({
  ...post,
  path: `${entryPath}/transfer`,
  summary: "Move the conversation to another queue of the bot; it keeps its wait start there",
  middleware: [jsonBody(), ...agentOnly],
  request: { params: entryParamsSchema, body: jsonOf(transferBodySchema) },
  responses: { ...ok("transferred", transferAnswerSchema), ...bodyErrors, ...authErrors, ...entryErrors },
});

const end = createRoute({
  ...post,
  path: `${entryPath}/end`,
  summary: "Hand the conversation back to the bot, resolved",
  middleware: agentOnly,
  request: { params: entryParamsSchema },
  responses: { ...ok("handed back", endAnswerSchema), ...authErrors, ...entryErrors },
});

const history = createRoute({
  method: "get",
  path: "/v1/agent/queues/{bot}/{queue}/entries/{entryId}/history",
  summary: "The whole conversation, masked, with the entry's notes: only for the agent holding it",
  security: bearerSecurity,
  middleware: agentOnly,
  request: { params: entryParamsSchema },
  responses: { 200: { description: "the history", content: { "application/json": { schema: agentHistorySchema } } }, ...authErrors, ...entryErrors },
});

export const agentEntryRoutes = new OpenAPIHono<GatewayEnv>({ defaultHook: validationHook });

agentEntryRoutes.openapi(claim, async (c) => {
  const { bot, queue, entryId } = c.req.valid("param");
  const stub = await queueOf(c.env, bot, queue);
  const answer = await stub.claim(agentOf(c.get("principal")), entryId);
  if (isRefusal(answer)) throw apiErrorOf(answer);
  return c.json(answer, 200);
});

agentEntryRoutes.openapi(reply, async (c) => {
  const { bot, queue, entryId } = c.req.valid("param");
  const stub = await queueOf(c.env, bot, queue);
  const answer = await stub.reply(agentOf(c.get("principal")), entryId, c.req.valid("json"));
  if (isRefusal(answer)) throw apiErrorOf(answer);
  return c.json(answer, 200);
});

agentEntryRoutes.openapi(note, async (c) => {
  const { bot, queue, entryId } = c.req.valid("param");
  const stub = await queueOf(c.env, bot, queue);
  const answer = await stub.note(agentOf(c.get("principal")), entryId, c.req.valid("json"));
  if (isRefusal(answer)) throw apiErrorOf(answer);
  return c.json(answer, 200);
});

agentEntryRoutes.openapi(transfer, async (c) => {
  const { bot, queue, entryId } = c.req.valid("param");
  const stub = await queueOf(c.env, bot, queue);
  const answer = await stub.transfer(agentOf(c.get("principal")), entryId, c.req.valid("json").toQueue);
  if (isRefusal(answer)) throw apiErrorOf(answer);
  return c.json(answer, 200);
});

agentEntryRoutes.openapi(end, async (c) => {
  const { bot, queue, entryId } = c.req.valid("param");
  const stub = await queueOf(c.env, bot, queue);
  const answer = await stub.end(agentOf(c.get("principal")), entryId);
  if (isRefusal(answer)) throw apiErrorOf(answer);
  return c.json(answer, 200);
});

agentEntryRoutes.openapi(history, async (c) => {
  const { bot, queue, entryId } = c.req.valid("param");
  const stub = await queueOf(c.env, bot, queue);
  const answer = await stub.history(agentOf(c.get("principal")), entryId);
  if (isRefusal(answer)) throw apiErrorOf(answer);
  return c.json(answer, 200);
});
