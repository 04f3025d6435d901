/** What every secret is replaced with. */
export const MASK = "***";

/** `scheme://user:password@host`: the password part of a URL with credentials. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/[^:@/\s?#]*):([^@/\s?#]*)@/gi;
/**
 * Secrets at least this long are masked wherever they appear, inside other text too. Shorter
 * ones (`HOOK_TOKEN=x`) are masked only where they stand as a whole value: not preceded or
 * followed by a letter, digit or '_'. Masking every "x" would turn "Expected" into "E***pected"
 * and hide the message; a secret that short is no secret, and the whole value is still masked.
 */
export const MIN_SUBSTRING_SECRET = 6;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Option keys whose values are secret whatever they hold. */
const SECRET_KEY = /password|passwd|secret|token|api[_-]?key|credential|private[_-]?key/i;

/**
 * Keeps secrets out of everything assay prints. Every value read from the environment through
 * `${env:NAME}` is registered; passwords inside URLs are masked even when they were written in
 * the config itself.
 */
export class Redactor {
  /** Longest first, so that a secret containing another is masked whole. */
  #secrets: string[] = [];

  constructor(secrets: Iterable<string> = []) {
    for (const secret of secrets) this.addSecret(secret);
  }

  /** Registers a value to mask, with its JSON- and URL-encoded forms (how it may be printed). */
  addSecret(secret: string): void {
    if (secret === "") return;
    const forms = new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)]);
    for (const form of forms) if (!this.#secrets.includes(form)) this.#secrets.push(form);
    this.#secrets.sort((a, b) => b.length - a.length);
  }

  /** Registers every secret another redactor knows. */
  merge(other: Redactor): this {
    for (const secret of other.#secrets) this.addSecret(secret);
    return this;
  }

  /** The text with every secret and every URL password replaced by `***`. */
  redact(text: string): string {
    let result = text;
    for (const secret of this.#secrets) {
      result =
        secret.length >= MIN_SUBSTRING_SECRET
          ? result.split(secret).join(MASK)
          : result.replace(new RegExp(`(?<![A-Za-z0-9_])${escapeRegExp(secret)}(?![A-Za-z0-9_])`, "g"), MASK);
    }
    return result.replace(URL_CREDENTIALS, `$1:${MASK}@`);
  }

  /**
   * Redacts an error in place (message, expected, fix, location and stack) and returns it, so
   * that an error thrown after reading secrets can be shown as it is.
   */
  redactError<E>(error: E): E {
    if (!(error instanceof Error)) return error;
    const fields = error as unknown as Record<string, unknown>;
    error.message = this.redact(error.message);
    if (error.stack) error.stack = this.redact(error.stack);
    for (const field of ["expected", "fix"]) {
      if (typeof fields[field] === "string") fields[field] = this.redact(fields[field]);
    }
    const where = fields.where as Record<string, unknown> | undefined;
    if (where && typeof where === "object") {
      fields.where = Object.fromEntries(Object.entries(where).map(([k, v]) => [k, typeof v === "string" ? this.redact(v) : v]));
    }
    if (error.cause instanceof Error) this.redactError(error.cause);
    return error;
  }

  /**
   * A printable deep copy of a configuration: values under password-like keys become `***`,
   * every other string is redacted (env-derived secrets, URL passwords).
   */
  maskConfig<T>(config: T): T {
    const visit = (node: unknown, key: string | null): unknown => {
      if (key !== null && SECRET_KEY.test(key) && (typeof node === "number" || (typeof node === "string" && node !== ""))) return MASK;
      if (typeof node === "string") return this.redact(node);
      if (Array.isArray(node)) return node.map((item) => visit(item, null));
      if (node !== null && typeof node === "object") {
        return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, visit(v, k)]));
      }
      return node;
    };
    return visit(config, null) as T;
  }
}
