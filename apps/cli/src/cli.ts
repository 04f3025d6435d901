import { loadConfig, Redactor, type LoadedConfig } from "@assay/core";
import type { PluginContext } from "@assay/ports";
import type { PluginCandidate } from "./discovery/candidate.js";
import { discoverPlugins, type Discovery } from "./discovery/discover.js";
import { selectedPackagesNextToCli } from "./discovery/next-to-cli.js";
import { colorsFor, type Colors } from "./render/colors.js";

/** The global options every command shares. */
export interface GlobalOptions {
  config?: string;
  debug?: boolean;
  color?: boolean;
}

/** A loaded project: its configuration and the plugins found for it. */
export interface Project extends LoadedConfig, Discovery {
  /** What every plugin's create() receives. */
  context: PluginContext;
}

/**
 * What commands share: output (redacted by main), global options, and the project, loaded once
 * on first use. Commands set `exitCode`; errors they throw are rendered by main.
 */
export class Cli {
  options: GlobalOptions = {};
  exitCode = 0;
  /** Replaced by the config's redactor once the config is read: it then knows the secrets. */
  redactor = new Redactor();
  #project: Promise<Project> | undefined;

  /** Plugins found outside the usual places, used when nothing else provides their kind and name. */
  #fallbackPlugins: PluginCandidate[] = [];

  constructor(
    public cwd: string,
    readonly env: NodeJS.ProcessEnv,
  ) {}

  /** Continues in another project (the demo generates one): its config, its plugins. */
  moveTo(cwd: string, configFile: string, fallbackPlugins: PluginCandidate[] = []): void {
    this.cwd = cwd;
    this.options = { ...this.options, config: configFile };
    this.#fallbackPlugins = fallbackPlugins;
    this.#project = undefined;
  }

  out(text: string): void {
    process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
  }

  err(text: string): void {
    process.stderr.write(text.endsWith("\n") ? text : `${text}\n`);
  }

  get colors(): Colors {
    return colorsFor(process.stdout, this.options.color !== false, this.env);
  }

  /** Width of the terminal stdout is, or undefined when it is not one (nothing is cut then). */
  get width(): number | undefined {
    return process.stdout.isTTY === true ? process.stdout.columns : undefined;
  }

  get errorColors(): Colors {
    return colorsFor(process.stderr, this.options.color !== false, this.env);
  }

  async config(): Promise<LoadedConfig> {
    const loaded = await loadConfig({ cwd: this.cwd, configPath: this.options.config, env: this.env });
    this.redactor = loaded.redactor;
    return loaded;
  }

  project(): Promise<Project> {
    this.#project ??= this.#loadProject();
    return this.#project;
  }

  async #loadProject(): Promise<Project> {
    const loaded = await this.config();
    const fallbacks = [...this.#fallbackPlugins, ...(await selectedPackagesNextToCli(loaded.config))];
    const discovery = await discoverPlugins(loaded.config, loaded.source, fallbacks);
    const context: PluginContext = {
      projectRoot: loaded.config.root,
      warn: (message) => this.err(`${this.errorColors.yellow("Warning:")} ${message}`),
    };
    for (const found of discovery.plugins) for (const warning of found.warnings) context.warn(warning);
    return { ...loaded, ...discovery, context };
  }
}
