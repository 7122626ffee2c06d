/// <reference types="vite/client" />
// vite/client types the `?raw` imports below: the markdown is bundled into the test as text.

import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import shop from "../../bots/shop.json";
import apiDoc from "../../docs/api.md?raw";
import botsDoc from "../../docs/bots.md?raw";
import type { ConversationState } from "../../src/conversation/state.js";
import { initialConversationState } from "../../src/conversation/state.js";
import { runTurn } from "../../src/conversation/turn.js";
import { builtinActions, compileBot, serviceActions, validateBotDefinition } from "../../src/dialog/index.js";
import { actionDefSchema, botDefinitionSchema, conditionSchema, entitySchema, slotSchema, stepSchema } from "../../src/dialog/schema.js";
import { ERROR_STATUS } from "../../src/protocol/errors.js";
import { clientFrameSchema, serverFrameSchema } from "../../src/protocol/frames.js";
import { WS_CLOSE } from "../../src/protocol/ws.js";
import { createGateway } from "../../workers/gateway/app.js";
import { OPENAPI_CONFIG, OPENAPI_PATH } from "../../workers/gateway/openapi.js";
import { BASE, call } from "./helpers.js";

/**
 * docs/api.md and docs/bots.md are the project's reference. Everything checked here is derived
 * from the code (the served OpenAPI document, the zod schemas, the protocol constants), so a
 * route, step type or error code added without its documentation fails this file.
 */

interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, unknown>>;
}

const HTTP_METHODS = new Set(["get", "put", "post", "delete", "patch", "head", "options"]);

/** `GET /v1/voice/:jobId` for every operation of the document (OpenAPI writes `{jobId}`). */
function routesOf(doc: OpenApiDocument): string[] {
  return Object.entries(doc.paths).flatMap(([path, operations]) =>
    Object.keys(operations)
      .filter((method) => HTTP_METHODS.has(method))
      .map((method) => `${method.toUpperCase()} ${path.replaceAll(/\{(\w+)\}/g, ":$1")}`),
  );
}

const escapeRegExp = (text: string): string => text.replaceAll(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A route named whole: `GET /v1/voice` must not count as mentioned by `GET /v1/voice/:jobId`. */
function routePattern(route: string): string {
  return `${escapeRegExp(route)}(?![\\w/:.-])`;
}

/** Whether a markdown table has a row whose first cell is exactly `` `name` ``. */
function hasRow(markdown: string, name: string): boolean {
  return new RegExp(`^\\| \`${escapeRegExp(name)}\` \\|`, "m").test(markdown);
}

function mentions(markdown: string, name: string): boolean {
  return markdown.includes(`\`${name}\``);
}

/** The values a literal or enum schema admits: a discriminator's values. */
function literalsOf(schema: z.ZodType): string[] {
  if (schema instanceof z.ZodLiteral) return [...schema.values].map(String);
  if (schema instanceof z.ZodEnum) return schema.options.map(String);
  throw new Error(`expected a literal or an enum, got ${schema.def.type}`);
}

type ObjectUnion = { options: readonly { shape: Record<string, z.ZodType> }[] };

/** Every value of a discriminated union's discriminator, read from its options. */
function discriminatorValues(union: ObjectUnion, key: string): string[] {
  return union.options.flatMap((option) => {
    const discriminator = option.shape[key];
    if (!discriminator) throw new Error(`an option has no "${key}"`);
    return literalsOf(discriminator);
  });
}

/** Every object field anywhere in a schema: through optionals, defaults, arrays, records and unions. */
function fieldsOf(schema: z.core.$ZodType): Set<string> {
  const fields = new Set<string>();
  const walk = (node: z.core.$ZodType): void => {
    if (node instanceof z.ZodObject) {
      for (const [field, child] of Object.entries<z.core.$ZodType>(node.shape)) {
        fields.add(field);
        walk(child);
      }
    } else if (node instanceof z.ZodOptional || node instanceof z.ZodDefault || node instanceof z.ZodNullable) {
      walk(node.unwrap());
    } else if (node instanceof z.ZodArray) {
      walk(node.element);
    } else if (node instanceof z.ZodRecord) {
      walk(node.valueType);
    } else if (node instanceof z.ZodUnion) {
      for (const option of node.options) walk(option);
    }
  };
  walk(schema);
  return fields;
}

async function servedDocument(): Promise<{ response: Response; text: string }> {
  const response = await call(OPENAPI_PATH);
  return { response, text: await response.text() };
}

describe("GET /openapi.json", () => {
  it("is generated once per isolate: two requests get one document", async () => {
    const app = createGateway();
    const generate = vi.spyOn(app, "getOpenAPI31Document");
    const request = () => app.fetch(new Request(`${BASE}${OPENAPI_PATH}`), env, createExecutionContext());
    const first = await request();
    const second = await request();
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(await second.text()).toBe(await first.text());
    expect(generate).toHaveBeenCalledTimes(1);
  });

  it("serves what the zod schemas generate, with the same answer on every request", async () => {
    const first = await servedDocument();
    const second = await servedDocument();
    expect(first.response.headers.get("content-type")).toBe("application/json");
    expect(second.text).toBe(first.text);
    // Byte for byte what `app.doc31()` answered before: a fresh generation, serialised by `c.json()`.
    // Compared as a boolean: a diff of two 100 KB one-line strings would say nothing.
    expect(first.text === JSON.stringify(createGateway().getOpenAPI31Document(OPENAPI_CONFIG))).toBe(true);
    const doc = JSON.parse(first.text) as OpenApiDocument;
    expect(doc.openapi).toBe("3.1.0");
    expect(routesOf(doc)).toContain("POST /v1/messages");
  });

  it("points at docs/api.md and docs/bots.md, not at files a clone does not have", async () => {
    const { description = "" } = (JSON.parse((await servedDocument()).text) as OpenApiDocument).info;
    expect(description).toContain("docs/api.md");
    expect(description).toContain("docs/bots.md");
    expect(description).not.toMatch(/(?<![\w/])(API|DESIGN)\.md/);
  });
});

describe("docs/api.md", () => {
  it("documents every route the Worker serves, in the route table and under a heading", async () => {
    const doc = JSON.parse((await servedDocument()).text) as OpenApiDocument;
    const routes = [...routesOf(doc), `GET ${OPENAPI_PATH}`];
    expect(routes.length).toBeGreaterThan(20);
    const missing = routes.filter((route) => !hasRow(apiDoc, route) || !new RegExp(`^#+ .*${routePattern(route)}`, "m").test(apiDoc));
    expect(missing).toEqual([]);
  });

  it("lists exactly the routes the Worker serves in its route table", async () => {
    const served = new Set([...routesOf(JSON.parse((await servedDocument()).text) as OpenApiDocument), `GET ${OPENAPI_PATH}`]);
    const listed = [...apiDoc.matchAll(/^\| `((?:GET|PUT|POST|DELETE) [^`]+)` \|/gm)].map((match) => match[1] ?? "");
    expect(listed.length).toBe(served.size);
    expect(listed.filter((route) => !served.has(route))).toEqual([]);
  });

  it("has every error code with its status, every close code and every frame type", () => {
    const errors = Object.entries(ERROR_STATUS).filter(([code, status]) => !apiDoc.includes(`| ${status} | \`${code}\` |`));
    expect(errors).toEqual([]);
    expect(Object.values(WS_CLOSE).filter((code) => !hasRow(apiDoc, String(code)))).toEqual([]);
    const frames = [...discriminatorValues(clientFrameSchema, "type"), ...discriminatorValues(serverFrameSchema, "type")];
    expect(frames.filter((type) => !apiDoc.includes(`{ "type": "${type}"`))).toEqual([]);
  });
});

describe("docs/bots.md", () => {
  it("has a row for every step type, condition op, entity type and action kind of the schema", () => {
    const undocumented = {
      steps: discriminatorValues(stepSchema, "type").filter((type) => !hasRow(botsDoc, type)),
      conditions: discriminatorValues(conditionSchema, "op").filter((op) => !hasRow(botsDoc, op)),
      entities: discriminatorValues(entitySchema, "type").filter((type) => !hasRow(botsDoc, type)),
      actions: discriminatorValues(actionDefSchema, "kind").filter((kind) => !hasRow(botsDoc, kind)),
    };
    expect(undocumented).toEqual({ steps: [], conditions: [], entities: [], actions: [] });
    // The walk itself found what the schema has: a broken walk must not pass by finding nothing.
    expect(discriminatorValues(stepSchema, "type")).toContain("ask");
    expect(discriminatorValues(conditionSchema, "op")).toContain("gte");
  });

  it("has a row for every top-level field and slot option, and names every field of the definition", () => {
    const fields = fieldsOf(botDefinitionSchema);
    expect(fields).toContain("maxReprompts"); // the walk reaches into flows' steps
    const undocumented = {
      topLevel: Object.keys(botDefinitionSchema.shape).filter((field) => !hasRow(botsDoc, field)),
      slot: Object.keys(slotSchema.shape).filter((field) => !hasRow(botsDoc, field)),
      named: [...fields].filter((field) => !mentions(botsDoc, field)),
      builtins: [...Object.keys(builtinActions), ...serviceActions].filter((name) => !mentions(botsDoc, name)),
    };
    expect(undocumented).toEqual({ topLevel: [], slot: [], named: [], builtins: [] });
  });

  it("says that an intent without `flow` starts the flow of the same name", () => {
    expect(botsDoc).toMatch(/without `flow`, it starts the flow with\s+the same name as the intent/);
    const checked = validateBotDefinition({ ...shop, intents: { ...shop.intents, stray: { examples: ["anything"] } } });
    expect(checked).toEqual({ ok: false, path: "intents.stray.examples", message: 'no flow named "stray"' });
  });

  it("shows a validation error the way publishing reports it", () => {
    const steps: unknown[] = [...shop.flows.check_stock.steps];
    steps[2] = { type: "ask", slot: "heel_height" };
    const checked = validateBotDefinition({ ...shop, flows: { ...shop.flows, check_stock: { ...shop.flows.check_stock, steps } } });
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(botsDoc).toContain(`${checked.path}: ${checked.message}`);
  });

  it("has an example bot that validates, compiles and holds the conversation shown", async () => {
    const example = /## A small complete bot[\s\S]*?```json\n([\s\S]*?)\n```/.exec(botsDoc)?.[1];
    expect(example).toBeDefined();
    const checked = validateBotDefinition(JSON.parse(example ?? "null"));
    if (!checked.ok) throw new Error(`the example bot is invalid at ${checked.path}: ${checked.message}`);
    const bot = compileBot(checked.bot);
    const table = /A conversation with it[^\n]*\n\n((?:\|.*\n)+)/.exec(botsDoc)?.[1] ?? "";
    const rows = table
      .split("\n")
      .slice(2)
      .filter(Boolean)
      .map((row) => row.split("|").map((cell) => cell.trim()));
    expect(rows.length).toBeGreaterThan(2);
    let state: ConversationState = initialConversationState();
    for (const [, user = "", shown = ""] of rows) {
      const [, text = shown, quickReplies] = /^(.*?)(?: \(quick replies: (.*)\))?$/.exec(shown) ?? [];
      const outcome = await runTurn(state, { text: user, at: 1_800_000_000_000 }, bot, async () => ({ ok: true, result: { id: "A17" } }));
      state = outcome.state;
      expect(outcome.reply.text, user).toBe(text);
      if (quickReplies !== undefined) expect(outcome.reply.quickReplies, user).toEqual(quickReplies.split(", "));
    }
  });
});

describe("links between the docs", () => {
  const docs = import.meta.glob("../../docs/*.md");
  const names = new Set(Object.keys(docs).map((path) => path.split("/").at(-1)));

  it("point at documents that exist", () => {
    const links = [...`${apiDoc}\n${botsDoc}`.matchAll(/\]\(([\w.-]+\.md)(?:#[\w-]*)?\)/g)].map((match) => match[1] ?? "");
    expect(links.length).toBeGreaterThan(3);
    expect(links.filter((link) => !names.has(link))).toEqual([]);
  });
});
