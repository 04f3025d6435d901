import { createRequire } from "node:module";
import { templateFiles, type TemplateKind } from "./templates.js";

/**
 * The DuckDB client the backend template runs on; the same version as @assay/backend-duckdb's
 * (a test in apps/cli keeps them equal).
 */
export const DUCKDB_NODE_API_VERSION = "1.5.6-r.1";

/** The @assay/ports this CLI runs with: the generated plugin asks for a compatible one. */
function portsVersion(): string {
  const pkg = createRequire(import.meta.url)("@assay/ports/package.json") as { version: string };
  return pkg.version;
}

/** Every file of a new plugin package, by path relative to its folder. */
export function pluginPackageFiles(kind: TemplateKind, name: string): Record<string, string> {
  const packageName = `assay-${kind}-${name}`;
  const ports = `^${portsVersion()}`;
  const packageJson = {
    name: packageName,
    version: "0.1.0",
    description: `assay ${kind} plugin "${name}".`,
    type: "module",
    license: "MIT",
    keywords: ["assay-plugin", `assay-${kind}`],
    assay: { apiVersion: 1, kind, name },
    engines: { node: ">=20.19" },
    files: ["dist"],
    exports: {
      ".": { types: "./dist/index.d.ts", import: "./dist/index.js", default: "./dist/index.js" },
      "./package.json": "./package.json",
    },
    scripts: {
      build: "tsc -p tsconfig.build.json",
      typecheck: "tsc -p tsconfig.json --noEmit",
      test: "vitest run",
      prepack: "npm run build",
    },
    peerDependencies: { "@assay/ports": ports },
    // The backend template is built on @assay/sql, released together with @assay/ports.
    dependencies: kind === "backend" ? { "@assay/sql": ports, "@duckdb/node-api": DUCKDB_NODE_API_VERSION, zod: "^4.1.0" } : { zod: "^4.1.0" },
    devDependencies: { "@assay/ports": ports, "@types/node": "^20.19.0", typescript: "5.9.3", vitest: "4.1.12" },
  };
  const compilerOptions = {
    target: "ES2023",
    lib: ["ES2023"],
    module: "NodeNext",
    moduleResolution: "NodeNext",
    strict: true,
    declaration: true,
    skipLibCheck: true,
    verbatimModuleSyntax: true,
    types: ["node"],
  };
  return {
    "package.json": `${JSON.stringify(packageJson, null, 2)}\n`,
    "tsconfig.json": `${JSON.stringify({ compilerOptions: { ...compilerOptions, noEmit: true }, include: ["src", "test"] }, null, 2)}\n`,
    "tsconfig.build.json": `${JSON.stringify({ extends: "./tsconfig.json", compilerOptions: { noEmit: false, outDir: "dist", rootDir: "src" }, include: ["src"] }, null, 2)}\n`,
    ...templateFiles(kind, name),
    ".gitignore": "node_modules/\ndist/\n",
    "README.md": readme(kind, name, packageName),
  };
}

function readme(kind: TemplateKind, name: string, packageName: string): string {
  const usage = {
    backend: `backend: { use: ${name}, options: { folder: warehouse } }`,
    notifier: `notifiers: [stdout, { use: ${name}, options: { path: .assay/events.jsonl } }]`,
    formatter: `format: ${name}`,
    storage: `storage: { location: "${name}:.assay", options: { fsync: false } }`,
    reporter: `reporters: [{ use: ${name}, file: reports/results.csv, options: { delimiter: "," } }]`,
  }[kind];
  return `# ${packageName}

An assay ${kind} plugin (registered name \`${name}\`), for the \`assay\` command of \`@assay/cli\`.

## Use

\`\`\`sh
npm install -D ${packageName}
\`\`\`

assay finds it through your project's package.json (its \`assay\` manifest); select it in
\`assay.config.yaml\`:

\`\`\`yaml
${usage}
\`\`\`

\`npx assay plugins\` shows whether it was found and loaded.

## Develop

\`\`\`sh
npm install
npm test          # the ${kind} contract suite of @assay/ports/testing
npm run build     # dist/, what the package ships
\`\`\`

While assay's own packages are not on the npm registry yet, \`npm install\` cannot find
\`@assay/ports\`: install it from a clone of assay instead (\`pnpm run pack-into <this folder>
ports${kind === "backend" ? " sql" : ""}\`, see "Before assay is on the npm registry" in assay's docs/plugins.md).
${kind === "backend" ? BACKEND_NOTES : ""}
The rules assay checks when it loads the package: ESM (\`"type": "module"\`), an exports map
whose \`.\` entry has \`types\`, \`import\` and \`default\` conditions plus \`"./package.json"\`, the
\`assay\` manifest (\`apiVersion\`, \`kind\`, \`name\`), the keywords \`assay-plugin\` and
\`assay-${kind}\`, a name \`assay-${kind}-<name>\` or \`@scope/assay-${kind}-<name>\`, and
\`@assay/ports\` as a peer dependency. See assay's docs/plugins.md for the port's guarantees.
`;
}

/** What the backend template is, and where an author puts their engine. */
const BACKEND_NOTES = `
As generated, this backend is complete and runs on DuckDB, an embedded engine, so that its
contract suite passes with no server: one database file per domain and stage
(\`<folder>/<domain>_<stage>.duckdb\`), one schema per instance. It is built on \`@assay/sql\`,
which writes every statement, runs each call under its deadline, and implements the whole
Backend port (catalogue, counts, queries, ordered scans, COMPARE in the engine, STAGECOUNT's
latest load) from two parts you adapt to your engine:

- \`src/driver.ts\` (with \`src/values.ts\` and \`src/read-only.ts\`): the only code that calls
  the engine's client. Replace the DuckDB calls with your client's: open a read-only session at
  a database and schema, run SQL with bound parameters, stream rows in batches, describe a
  query's columns without running it, refuse anything but one SELECT, cancel on the signal, and
  map the engine's errors to assay's codes in the error table.
- \`src/dialect.ts\`: parameter placeholders, qualified names, the engine's type names, a text
  order by code point, the sampling hash.
- \`src/index.ts\`: the options, and how the run's coordinates map to a database and schema.
- \`test/contract.test.ts\`: loads the contract fixtures where the suite reads them. For a server
  engine, load them into a schema of your own on the server the environment names, and pass
  \`skip: "why"\` when it is not set.
`;
