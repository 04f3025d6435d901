import { pickIssue } from "./pick-issue.js";
import { z } from "zod";
import { ConfigError } from "@assay/ports";
import type { SchemaSpec } from "../model.js";
import { parseYamlSource, yamlIssueError } from "../yaml-source.js";
import { buildSchemaSpec } from "./schema-columns.js";
import { decodeUtf8, type SpecOrigin } from "./spec-base.js";

const ColumnYaml = z.strictObject({
  name: z.string().min(1),
  type: z.string().min(1).optional(),
  pk: z.boolean().optional(),
  partition: z.boolean().optional(),
  cluster: z.boolean().optional(),
});

const names = z.array(z.string().min(1));

/** `<object>.schema.yaml`: columns with flags, and/or lists of keys, partitioning and clustering. */
export const SchemaYaml = z.strictObject({
  columns: z.array(ColumnYaml).min(1),
  primaryKeys: names.optional(),
  partitioning: names.optional(),
  clustering: names.optional(),
});

const FIX = "See the schema spec format: columns: [{ name, type, pk?, partition?, cluster? }], partitioning: [...], clustering: [...].";

export function parseSchemaYaml(bytes: Uint8Array, origin: SpecOrigin): SchemaSpec {
  const source = parseYamlSource(decodeUtf8(bytes), origin.path, "SPEC_INVALID");
  if (source.value === null || source.value === undefined) {
    throw new ConfigError("SPEC_INVALID", "The schema spec is empty", { where: { file: origin.path }, expected: "a mapping with columns:", fix: FIX });
  }
  const parsed = SchemaYaml.safeParse(source.value);
  if (!parsed.success) throw yamlIssueError(source, pickIssue(parsed.error.issues), "SPEC_INVALID", "schema spec", FIX);
  const spec = parsed.data;
  const rows = spec.columns.map((c, i) => ({
    name: c.name,
    type: c.type ?? null,
    pk: c.pk ?? false,
    partition: c.partition ?? false,
    cluster: c.cluster ?? false,
    line: source.locate(["columns", i]).line,
  }));
  const stated = (flag: "pk" | "partition" | "cluster") => spec.columns.some((c) => c[flag] !== undefined);
  if (spec.primaryKeys && stated("pk")) {
    throw new ConfigError("SPEC_INVALID", "Primary keys are given twice: as pk flags and as primaryKeys", {
      where: source.locate(["primaryKeys"], "key"),
      fix: "Keep one of them.",
    });
  }
  return buildSchemaSpec(
    origin,
    rows,
    { pk: stated("pk"), partition: stated("partition"), cluster: stated("cluster") },
    { primaryKeys: spec.primaryKeys, partitioning: spec.partitioning, clustering: spec.clustering },
  );
}
