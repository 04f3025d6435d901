/**
 * The source of the plugin `assay plugin new` writes, one working implementation per kind,
 * and its contract test. Each passes its port's contract suite as generated.
 */

export type TemplateKind = "notifier" | "formatter" | "storage";
export const TEMPLATE_KINDS: readonly TemplateKind[] = ["notifier", "formatter", "storage"];

const NOTIFIER = (name: string) => `import { appendFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { definePlugin, type Notifier, type RunEvent } from "@assay/ports";
import { z } from "zod";

/** Options as users write them under notifiers: [{ use: ${name}, options: {...} }]. */
export const Options = z.strictObject({
  /** The file events are appended to, one JSON object a line; relative to the project root. */
  path: z.string().min(1).default(".assay/events.jsonl"),
});
export type Options = z.output<typeof Options>;

/** Appends every run event to a JSON-lines file as it happens. */
class JsonLinesNotifier implements Notifier {
  #ready: Promise<unknown>;

  constructor(readonly file: string) {
    this.#ready = mkdir(path.dirname(file), { recursive: true });
  }

  async notify(event: RunEvent): Promise<void> {
    await this.#ready;
    await appendFile(this.file, \`\${JSON.stringify(event)}\\n\`);
  }

  async close(): Promise<void> {
    // Every event is on disk when notify() resolves: nothing to flush, and closing twice is fine.
  }
}

export default definePlugin({
  kind: "notifier",
  name: "${name}",
  apiVersion: 1,
  description: "Appends run events to a JSON-lines file.",
  optionsSchema: Options,
  // assay validates and defaults the options with optionsSchema before it calls create().
  async create(options: Options, context) {
    return new JsonLinesNotifier(path.resolve(context.projectRoot, options.path));
  },
});
`;

const FORMATTER = (name: string) => `import { AssayError, definePlugin, type Formatter } from "@assay/ports";
import { z } from "zod";

/** Options as users write them under format: (the selected formatter's name is "${name}"). */
export const Options = z.strictObject({
  /** Spaces of indentation in stored files; 0 writes one line per object. */
  indent: z.number().int().min(0).max(8).default(2),
});
export type Options = z.output<typeof Options>;

/** Stores runs and results as indented JSON, readable in any editor. */
class IndentedJsonFormatter implements Formatter {
  readonly name = "${name}";
  readonly extension = "json";
  readonly mediaType = "application/json";
  readonly #decoder = new TextDecoder("utf-8", { fatal: true });

  constructor(readonly indent: number) {}

  serialize(value: unknown): Uint8Array {
    return new TextEncoder().encode(\`\${JSON.stringify(value, null, this.indent)}\\n\`);
  }

  parse(data: Uint8Array): unknown {
    try {
      return JSON.parse(this.#decoder.decode(data));
    } catch (cause) {
      throw new AssayError("FORMAT_INVALID", \`Stored data is not valid UTF-8 JSON: \${cause instanceof Error ? cause.message : String(cause)}\`, {
        fix: "The file was changed or truncated outside assay; delete it or restore it from a backup.",
        cause,
      });
    }
  }
}

export default definePlugin({
  kind: "formatter",
  name: "${name}",
  apiVersion: 1,
  description: "Indented JSON.",
  optionsSchema: Options,
  // assay validates and defaults the options with optionsSchema before it calls create().
  async create(options: Options, _context) {
    return new IndentedJsonFormatter(options.indent);
  },
});
`;

const STORAGE = (name: string) => `import { randomUUID } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import {
  definePlugin,
  RESERVED_KEY_PREFIX,
  StorageError,
  validateStorageKey,
  validateStoragePrefix,
  type Storage,
} from "@assay/ports";
import { z } from "zod";

/** Options as users write them under storage: { location: "${name}:folder", options: {...} }. */
export const Options = z.strictObject({
  /** Flush every write to disk before it counts as done (slower, survives a power cut). */
  fsync: z.boolean().default(false),
});
export type Options = z.output<typeof Options>;

/** Keys are files under one folder; a write goes to a temporary file first, then is renamed. */
class FolderStorage implements Storage {
  constructor(
    readonly location: string,
    readonly root: string,
    readonly options: Options,
  ) {}

  #file(key: string): string {
    validateStorageKey(key);
    return path.join(this.root, ...key.split("/"));
  }

  async read(key: string): Promise<Uint8Array> {
    const file = this.#file(key);
    try {
      return new Uint8Array(await readFile(file));
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === "ENOENT") {
        throw new StorageError("STORAGE_NOT_FOUND", \`No stored object under key \${JSON.stringify(key)} in \${this.location}\`, { cause });
      }
      throw new StorageError("STORAGE_IO", \`Cannot read \${file}: \${String(cause)}\`, { cause });
    }
  }

  async write(key: string, data: Uint8Array): Promise<void> {
    const file = this.#file(key);
    await mkdir(path.dirname(file), { recursive: true });
    // A unique temporary name per write: concurrent writers of one key never share a file, and
    // rename() replaces the target atomically, so readers see the old bytes or the new ones.
    const temporary = path.join(path.dirname(file), \`\${RESERVED_KEY_PREFIX}\${randomUUID()}\`);
    try {
      await writeFile(temporary, data, { flush: this.options.fsync });
      await rename(temporary, file);
    } catch (cause) {
      await rm(temporary, { force: true });
      throw new StorageError("STORAGE_IO", \`Cannot write \${file}: \${String(cause)}\`, { cause });
    }
  }

  async exists(key: string): Promise<boolean> {
    return stat(this.#file(key)).then(
      (s) => s.isFile(),
      () => false,
    );
  }

  async delete(key: string): Promise<void> {
    await rm(this.#file(key), { force: true });
  }

  async list(prefix: string): Promise<string[]> {
    validateStoragePrefix(prefix);
    const keys: string[] = [];
    const walk = async (dir: string, base: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        return; // A folder that does not exist holds no keys.
      }
      for (const entry of entries) {
        if (entry.name.startsWith(RESERVED_KEY_PREFIX)) continue;
        const key = base ? \`\${base}/\${entry.name}\` : entry.name;
        if (entry.isDirectory()) await walk(path.join(dir, entry.name), key);
        else if (key.startsWith(prefix)) keys.push(key);
      }
    };
    await walk(this.root, "");
    // Byte order, as the port requires (not locale order).
    return keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }
}

export default definePlugin({
  kind: "storage",
  name: "${name}",
  apiVersion: 1,
  description: "Stores results as files under a folder (${name}:<folder>).",
  schemes: ["${name}"],
  optionsSchema: Options,
  // assay validates and defaults the options with optionsSchema before it calls create().
  async create(options: Options, context) {
    const folder = context.location.slice(context.location.indexOf(":") + 1) || ".assay";
    return new FolderStorage(context.location, path.resolve(context.projectRoot, folder), options);
  },
});
`;

export function pluginSource(kind: TemplateKind, name: string): string {
  return { notifier: NOTIFIER, formatter: FORMATTER, storage: STORAGE }[kind](name);
}

/** The contract test: the port's suite from @assay/ports/testing, on instances made as assay makes them. */
export function contractTest(kind: TemplateKind, name: string): string {
  const head = `import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe${kind[0]!.toUpperCase()}${kind.slice(1)}Contract } from "@assay/ports/testing";
import plugin, { Options } from "../src/index.js";

/** Like assay: options validated and defaulted by the plugin's own schema, then create(). */
const context = (projectRoot: string) => ({ projectRoot, warn: (message: string) => console.warn(message) });
const newProjectRoot = () => mkdtemp(path.join(os.tmpdir(), "assay-${kind}-${name}-"));
`;
  switch (kind) {
    case "notifier":
      return `${head}
describeNotifierContract("${name}", async () => plugin.create(Options.parse({}), context(await newProjectRoot())));
`;
    case "formatter":
      return `${head}
describeFormatterContract("${name}", async () => plugin.create(Options.parse({}), context(await newProjectRoot())));
`;
    case "storage":
      return `${head}
describeStorageContract("${name}", async () => {
  const location = "${name}:results";
  return plugin.create(Options.parse({}), { ...context(await newProjectRoot()), location });
});
`;
  }
}
