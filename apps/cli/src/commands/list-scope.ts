import { ConfigError, type Coordinates } from "@assay/ports";
import type { AssayConfig } from "@assay/core";

export interface ScopeOptions {
  domain?: string;
  stage?: string;
  instance?: string;
}

/**
 * The domain/stage/instance coordinates the filters select, in config order. A filter that
 * names something the config does not declare is a usage error (a typo lists nothing).
 */
export function coordinatesIn(config: AssayConfig, filters: ScopeOptions): Coordinates[] {
  const domains = Object.values(config.domains).filter((d) => filters.domain === undefined || d.name === filters.domain);
  if (filters.domain !== undefined && domains.length === 0) {
    throw new ConfigError("USAGE", `Domain "${filters.domain}" is not declared in the config`, {
      where: { key: "--domain" },
      expected: `one of: ${Object.keys(config.domains).join(", ") || "(none declared)"}`,
      fix: "Use a domain declared under domains: in assay.config.yaml.",
    });
  }
  const all = domains.flatMap((d) =>
    Object.entries(d.stages).flatMap(([stage, instances]) => instances.map((instance) => ({ domain: d.name, stage, instance }))),
  );
  const stages = all.filter((c) => filters.stage === undefined || c.stage === filters.stage);
  if (filters.stage !== undefined && stages.length === 0) {
    throw new ConfigError("USAGE", `Stage "${filters.stage}" is not declared${filters.domain ? ` for domain "${filters.domain}"` : " for any domain"}`, {
      where: { key: "--stage" },
      expected: `one of: ${[...new Set(all.map((c) => c.stage))].join(", ") || "(none declared)"}`,
      fix: "Use a declared stage.",
    });
  }
  const selected = stages.filter((c) => filters.instance === undefined || c.instance === filters.instance);
  if (filters.instance !== undefined && selected.length === 0) {
    throw new ConfigError("USAGE", `Instance "${filters.instance}" is not declared for the selected stages`, {
      where: { key: "--instance" },
      expected: `one of: ${[...new Set(stages.map((c) => c.instance))].join(", ")}`,
      fix: "Use a declared instance.",
    });
  }
  return selected;
}
