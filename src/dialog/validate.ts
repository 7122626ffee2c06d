import { isBuiltinAction } from "./actions/index.js";
import type { BotDefinition, FlowDef, FlowStep } from "./schema.js";
import { botDefinitionSchema as shapeSchema } from "./schema.js";

type Path = (string | number)[];
type Report = (path: Path, message: string) => void;

/**
 * The full definition schema: the shape, then the cross-references a shape cannot
 * express. Refinements run only on a well-shaped definition, so the first issue is
 * always the most basic one.
 */
export const botDefinitionSchema = shapeSchema.superRefine((def, ctx) => {
  checkReferences(def, (path, message) => ctx.addIssue({ code: "custom", path, message }));
});

export type ValidationResult = { ok: true; bot: BotDefinition } | { ok: false; path: string; message: string };

/**
 * Validates untrusted JSON (an admin's PUT body) and names the first error's path.
 * @example validateBotDefinition({ ...shop, flows: { x: { steps: [{ type: "ask", slot: 3 }] } } })
 *   // → { ok: false, path: "flows.x.steps[0].slot", message: "Invalid input: expected string, received number" }
 */
export function validateBotDefinition(json: unknown): ValidationResult {
  const result = botDefinitionSchema.safeParse(json);
  if (result.success) return { ok: true, bot: result.data };
  const issue = result.error.issues[0];
  return { ok: false, path: formatPath(issue?.path ?? []), message: issue?.message ?? "invalid definition" };
}

/** `["flows", "check_stock", "steps", 2, "slot"]` → `flows.check_stock.steps[2].slot` */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else if (typeof key === "string" && /^[A-Za-z_$][\w$]*$/.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

function checkReferences(def: BotDefinition, report: Report): void {
  checkEntities(def, report);
  for (const [slotName, slot] of Object.entries(def.slots)) {
    if (slot.entity !== undefined && !(slot.entity in def.entities)) {
      report(["slots", slotName, "entity"], `unknown entity "${slot.entity}"`);
    }
    if (slot.validate?.pattern !== undefined && !compiles(slot.validate.pattern, "u")) {
      report(["slots", slotName, "validate", "pattern"], "not a valid regular expression");
    }
  }
  for (const [intent, def_] of Object.entries(def.intents)) {
    const flow = def_.flow ?? intent;
    if (!(flow in def.flows)) report(["intents", intent, def_.flow ? "flow" : "examples"], `no flow named "${flow}"`);
  }
  for (const [flowName, flow] of Object.entries(def.flows)) checkFlow(def, flowName, flow, report);
  uniqueIds(def.knowledge.entries, ["knowledge", "entries"], report);
  uniqueIds(def.smallTalk.entries, ["smallTalk", "entries"], report);
}

/** Events and the admin parse route name entries by id: two entries must not share one. */
function uniqueIds(entries: readonly { id: string }[], at: Path, report: Report): void {
  const seen = new Set<string>();
  entries.forEach((entry, index) => {
    if (seen.has(entry.id)) report([...at, index, "id"], `duplicate entry id "${entry.id}"`);
    seen.add(entry.id);
  });
}

function checkEntities(def: BotDefinition, report: Report): void {
  for (const [entityName, entity] of Object.entries(def.entities)) {
    const at: Path = ["entities", entityName];
    if (entity.type === "regex" && !compiles(entity.pattern, entity.flags)) report([...at, "pattern"], "not a valid regular expression");
    if (entity.type === "number" && entity.min !== undefined && entity.max !== undefined && entity.min > entity.max) {
      report([...at, "max"], "max is below min");
    }
  }
}

function checkFlow(def: BotDefinition, flowName: string, flow: FlowDef, report: Report): void {
  const ids = new Set<string>();
  flow.steps.forEach((step, index) => {
    if (step.id === undefined) return;
    if (ids.has(step.id)) report(["flows", flowName, "steps", index, "id"], `duplicate step id "${step.id}"`);
    ids.add(step.id);
  });
  flow.steps.forEach((step, index) => checkStep(def, ids, step, ["flows", flowName, "steps", index], report));
}

function checkStep(def: BotDefinition, ids: Set<string>, step: FlowStep, at: Path, report: Report): void {
  const slotKnown = (slot: string, path: Path): void => {
    if (!(slot in def.slots)) report(path, `unknown slot "${slot}"`);
  };
  switch (step.type) {
    case "ask":
      slotKnown(step.slot, [...at, "slot"]);
      if (step.slot in def.slots && !step.optional && !step.prompt && !def.slots[step.slot]?.prompt)
        report([...at, "prompt"], "needs a prompt (here or on the slot)");
      return;
    case "set":
      return slotKnown(step.slot, [...at, "slot"]);
    case "branch":
      step.cases.forEach((c, i) => {
        c.when.forEach((cond, j) => slotKnown(cond.slot, [...at, "cases", i, "when", j, "slot"]));
        if (!ids.has(c.goto)) report([...at, "cases", i, "goto"], `no step with id "${c.goto}" in this flow`);
      });
      if (step.else !== undefined && !ids.has(step.else)) report([...at, "else"], `no step with id "${step.else}" in this flow`);
      return;
    case "call":
      if (!(step.action in def.actions) && !isBuiltinAction(step.action)) report([...at, "action"], `unknown action "${step.action}"`);
      else if (def.actions[step.action]?.kind === "builtin" && !isBuiltinAction(step.action)) report([...at, "action"], `no built-in action "${step.action}"`);
      for (const slot of Object.keys(step.assign)) slotKnown(slot, [...at, "assign", slot]);
      return;
    case "handoff":
      if (!def.handoff.queues.includes(step.queue)) report([...at, "queue"], `no queue "${step.queue}" in handoff.queues`);
      return;
    case "say":
    case "end":
      return;
    default:
      step satisfies never;
  }
}

function compiles(pattern: string, flags: string): boolean {
  try {
    new RegExp(pattern, flags);
    return true;
  } catch {
    return false;
  }
}
