import { createRequire } from "node:module";
import { pluginSource, contractTest, type TemplateKind } from "./sources.js";

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
    dependencies: { zod: "^4.1.0" },
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
    "src/index.ts": pluginSource(kind, name),
    "test/contract.test.ts": contractTest(kind, name),
    ".gitignore": "node_modules/\ndist/\n",
    "README.md": readme(kind, name, packageName),
  };
}

function readme(kind: TemplateKind, name: string, packageName: string): string {
  const usage = {
    notifier: `notifiers: [stdout, { use: ${name}, options: { path: .assay/events.jsonl } }]`,
    formatter: `format: ${name}`,
    storage: `storage: { location: "${name}:.assay", options: { fsync: false } }`,
  }[kind];
  return `# ${packageName}

An [assay](https://www.npmjs.com/package/@assay/cli) ${kind} plugin (registered name \`${name}\`).

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

The rules assay checks when it loads the package: ESM (\`"type": "module"\`), an exports map
whose \`.\` entry has \`types\`, \`import\` and \`default\` conditions plus \`"./package.json"\`, the
\`assay\` manifest (\`apiVersion\`, \`kind\`, \`name\`), the keywords \`assay-plugin\` and
\`assay-${kind}\`, a name \`assay-${kind}-<name>\` or \`@scope/assay-${kind}-<name>\`, and
\`@assay/ports\` as a peer dependency. See assay's docs/plugins.md for the port's guarantees.
`;
}
