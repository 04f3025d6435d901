import { existsSync, readdirSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { Command } from "commander";
import { ConfigError } from "@assay/ports";
import type { Cli } from "../cli.js";
import { pluginPackageFiles } from "../plugin-template/package-files.js";
import { TEMPLATE_KINDS, type TemplateKind } from "../plugin-template/templates.js";

/** `assay plugin new <kind> <name> [--dir DIR]`: writes a plugin package whose contract test passes. */
export function pluginCommand(cli: Cli): Command {
  const plugin = new Command("plugin").description("tools for plugin authors");
  plugin
    .command("new")
    .description(
      "write a new plugin package (manifest, a working implementation, its contract test, tsconfig, README); a backend is a SQL backend on @assay/sql, running on DuckDB as generated",
    )
    .argument("<kind>", `the port it implements: ${TEMPLATE_KINDS.join(", ")}`)
    .argument("<name>", "its registered name: lower-case letters, digits and '-'")
    .option("--dir <dir>", "the folder to create (default: assay-<kind>-<name>)")
    .action(async (kind: string, name: string, options: { dir?: string }) => {
      if (!TEMPLATE_KINDS.includes(kind as TemplateKind)) {
        throw new ConfigError("USAGE", `assay plugin new has no template for kind "${kind}"`, {
          expected: `one of: ${TEMPLATE_KINDS.join(", ")}`,
          fix: "Choose one of the kinds above.",
        });
      }
      if (!/^[a-z][a-z0-9-]*$/.test(name)) {
        throw new ConfigError("USAGE", `Plugin name "${name}" is not allowed`, {
          expected: "lower-case letters, digits and '-', starting with a letter (it becomes the manifest's name)",
          fix: `For example: assay plugin new ${kind} acme`,
        });
      }
      const dir = path.resolve(cli.cwd, options.dir ?? `assay-${kind}-${name}`);
      if (existsSync(dir) && readdirSync(dir).length > 0) {
        throw new ConfigError("USAGE", `${dir} already exists and is not empty`, {
          expected: "a new or empty folder",
          fix: "Choose another folder with --dir, or move the existing one away.",
        });
      }
      const files = pluginPackageFiles(kind as TemplateKind, name);
      for (const [file, text] of Object.entries(files)) {
        await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
        await writeFile(path.join(dir, file), text, { flag: "wx" });
      }
      cli.out(`Created the ${kind} plugin package assay-${kind}-${name} in ${dir}:`);
      for (const file of Object.keys(files)) cli.out(`  ${file}`);
      cli.out(`\nNext:\n  cd ${path.relative(cli.cwd, dir) || "."}\n  npm install\n  npm test        # the ${kind} contract suite`);
    });
  return plugin;
}
