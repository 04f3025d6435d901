import type { BackendCapabilities } from "@assay/ports";
import type { Spec, SpecType } from "../model.js";
import type { PreconditionCheck } from "./types.js";

const specPaths = (specs: readonly Spec[]) => specs.map((s) => s.path).join(", ");

/** Exactly one spec of each required type; at most one of each optional type. */
const specsUnique: PreconditionCheck = async (ctx, testType) => {
  const ofType = (type: SpecType) => ctx.specs.filter((s) => s.type === type);
  for (const type of testType.requiredSpecs) {
    const found = ofType(type);
    if (found.length === 0) {
      const scenario = ctx.entry.scenario && type === testType.name.toLowerCase() ? `.${ctx.entry.scenario}` : "";
      return `No ${type} spec found for ${ctx.entry.object}: expected a file ${ctx.entry.object}.${type}${scenario}.<ext> in the spec folder.`;
    }
    if (found.length > 1) return `${found.length} ${type} specs found for ${ctx.entry.object} where one is expected: ${specPaths(found)}.`;
  }
  for (const type of testType.optionalSpecs) {
    const found = ofType(type);
    if (found.length > 1) return `${found.length} ${type} specs found for ${ctx.entry.object} where at most one is allowed: ${specPaths(found)}.`;
  }
  return null;
};

function payloadMissing(spec: Spec): boolean {
  switch (spec.type) {
    case "schema":
      return spec.columns === null;
    case "compare":
    case "rowcount":
      return spec.sql === null;
    case "stagecount":
      return false;
  }
}

/** Every spec used could be read and parsed. */
const specsValid: PreconditionCheck = async (ctx) => {
  for (const spec of ctx.specs) {
    if (spec.error) return `The ${spec.type} spec cannot be used: ${spec.error}`;
    if (payloadMissing(spec)) return `The ${spec.type} spec ${spec.path} is empty.`;
  }
  return null;
};

const primaryKeysSpecified: PreconditionCheck = async (ctx) => {
  const schema = ctx.spec("schema");
  if (!schema?.primaryKeys || schema.primaryKeys.length === 0) {
    return `The schema spec ${schema?.path ?? ""} names no primary keys, which COMPARE needs to match rows: mark them with pk.`.replace("  ", " ");
  }
  return null;
};

const objectExists: PreconditionCheck = async (ctx) => {
  if (await ctx.backend.exists(ctx.object, { signal: ctx.signal })) return null;
  return `Test object ${ctx.entry.object} not found at ${ctx.at.domain}/${ctx.at.stage}/${ctx.at.instance}.`;
};

const objectNotEmpty: PreconditionCheck = async (ctx) => {
  return (await ctx.backend.hasRows(ctx.object, { signal: ctx.signal })) ? null : `Test object ${ctx.entry.object} is empty.`;
};

/** `backend capability <name>`: the backend declares that capability. */
export function capabilityCheck(capability: keyof BackendCapabilities): PreconditionCheck {
  return async (ctx) =>
    ctx.backend.capabilities[capability]
      ? null
      : `The backend of domain ${ctx.at.domain} (${ctx.domain.backend.use}) cannot run ${ctx.entry.type}: it lacks the capability ${capability}.`;
}

export const CAPABILITY_PREFIX = "backend capability ";

/** The built-in checks by name; names are what test types list and what events report. */
export function builtinPreconditions(): Map<string, PreconditionCheck> {
  return new Map<string, PreconditionCheck>([
    ["specs unique", specsUnique],
    ["specs valid", specsValid],
    ["primary keys specified", primaryKeysSpecified],
    ["test object exists", objectExists],
    ["test object not empty", objectNotEmpty],
  ]);
}
