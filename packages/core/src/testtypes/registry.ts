import { BackendCapabilities } from "@assay/ports";
import { builtinPreconditions, CAPABILITY_PREFIX, capabilityCheck } from "./preconditions.js";
import type { PreconditionCheck, TestTypeDefinition } from "./types.js";

/** Test types by name (case-insensitive) and the precondition checks they may list. */
export class TestTypeRegistry {
  readonly #types = new Map<string, TestTypeDefinition>();
  readonly #checks = builtinPreconditions();

  /** Adds or replaces a test type; its name is stored upper-case. */
  register(def: TestTypeDefinition): this {
    const name = def.name.toUpperCase();
    this.#types.set(name, { ...def, name });
    return this;
  }

  get(name: string): TestTypeDefinition | undefined {
    return this.#types.get(name.toUpperCase());
  }

  /** Upper-case names in registration order. */
  names(): string[] {
    return [...this.#types.keys()];
  }

  registerPrecondition(name: string, check: PreconditionCheck): this {
    this.#checks.set(name, check);
    return this;
  }

  /** The check of that name; `backend capability <cap>` works for every capability. */
  precondition(name: string): PreconditionCheck | undefined {
    const check = this.#checks.get(name);
    if (check) return check;
    if (name.startsWith(CAPABILITY_PREFIX)) {
      const capability = name.slice(CAPABILITY_PREFIX.length);
      if (capability in BackendCapabilities.shape) return capabilityCheck(capability as keyof BackendCapabilities);
    }
    return undefined;
  }
}
