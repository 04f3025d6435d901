import { ConfigError, StorageError, type Formatter, type Storage } from "@assay/ports";
import type { ZodType } from "zod";
import { TestCaseResult, TestRun } from "../model.js";
import { parseRunHeaderKey, resultKey, resultsPrefix, runHeaderKey, type RunIndexEntry } from "./keys.js";
import { slug } from "./run-id.js";

export interface ListRunsFilter {
  domain?: string;
  /** YYYY-MM-DD (UTC). */
  date?: string;
  /** Test set name (compared as its key form, case-insensitively). */
  testSet?: string;
  limit?: number;
}

/** A run from the index, with its header (null if the header could not be read). */
export interface ListedRun extends RunIndexEntry {
  run: TestRun | null;
}

interface RunLocation {
  headerKey: string;
  indexById: Map<string, number>;
}

/**
 * Runs and test case results on a Storage, in the Formatter's format. The run header is
 * written when the run starts and when it ends; each result is one object written when its
 * test case finishes. Storage writes are atomic, so a run killed at any moment leaves valid
 * files: the header (status EXECUTING) and every result finished so far.
 */
export class ResultStore {
  readonly #runs = new Map<string, RunLocation>();

  constructor(
    readonly storage: Storage,
    readonly formatter: Formatter,
  ) {}

  get #ext(): string {
    return this.formatter.extension;
  }

  async startRun(run: TestRun): Promise<void> {
    const checked = TestRun.parse(run);
    const headerKey = runHeaderKey(checked.domain, checked.id, checked.testSet.name, checked.startedAt, this.#ext);
    this.#runs.set(checked.id, { headerKey, indexById: new Map(checked.testcases.map((t, i) => [t.id, i])) });
    await this.storage.write(headerKey, this.formatter.serialize(checked));
  }

  async saveResult(result: TestCaseResult): Promise<void> {
    const checked = TestCaseResult.parse(result);
    const location = await this.#locate(checked.runId);
    const index = location.indexById.get(checked.id);
    if (index === undefined) {
      throw new StorageError("STORAGE_IO", `Test case ${checked.id} is not part of run ${checked.runId}`, {
        expected: "a result of one of the run's test cases",
      });
    }
    await this.storage.write(resultKey(checked.runId, index, checked.id, this.#ext), this.formatter.serialize(checked));
  }

  async finishRun(run: TestRun): Promise<void> {
    const checked = TestRun.parse(run);
    const location = await this.#locate(checked.id);
    await this.storage.write(location.headerKey, this.formatter.serialize(checked));
  }

  /** Runs newest first, from key names; only the headers of the runs returned are read. */
  async listRuns(filter: ListRunsFilter = {}): Promise<ListedRun[]> {
    const entries = await this.#index(filter);
    const limited = filter.limit === undefined ? entries : entries.slice(0, Math.max(0, filter.limit));
    return Promise.all(
      limited.map(async (entry) => ({ ...entry, run: await this.#read(entry.key, TestRun).catch(() => null) })),
    );
  }

  /** A run and its results (in test set order), by id, unique id prefix, or `latest`. */
  async getRun(idOrLatest: string): Promise<{ run: TestRun; results: TestCaseResult[] }> {
    const entry = await this.#find(idOrLatest);
    const run = await this.#read(entry.key, TestRun);
    const keys = (await this.storage.list(resultsPrefix(entry.id))).filter((k) => k.endsWith(`.${this.#ext}`));
    const results = await Promise.all(keys.map((k) => this.#read(k, TestCaseResult)));
    return { run, results };
  }

  /** A run's header alone, by id, unique id prefix, or `latest`: what a report starts from. */
  async getRunHeader(idOrLatest: string): Promise<TestRun> {
    return this.#read((await this.#find(idOrLatest)).key, TestRun);
  }

  /**
   * A run's results in test set order, read one at a time as they are consumed, so that a
   * report of 2,000 test cases with large diffs never holds them all.
   */
  async *streamResults(runId: string): AsyncGenerator<TestCaseResult> {
    const keys = (await this.storage.list(resultsPrefix(runId))).filter((k) => k.endsWith(`.${this.#ext}`));
    for (const key of keys) yield await this.#read(key, TestCaseResult);
  }

  async #index(filter: ListRunsFilter): Promise<RunIndexEntry[]> {
    const prefix = filter.domain ? `runs/${slug(filter.domain)}/${filter.date ? `${filter.date}/` : ""}` : "runs/";
    const wantedSet = filter.testSet === undefined ? undefined : slug(filter.testSet);
    const entries = (await this.storage.list(prefix))
      .map((k) => parseRunHeaderKey(k, this.#ext))
      .filter((e): e is RunIndexEntry => e !== null)
      .filter((e) => (filter.date === undefined || e.date === filter.date) && (wantedSet === undefined || e.testSet === wantedSet));
    return entries.sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  }

  async #find(idOrLatest: string): Promise<RunIndexEntry> {
    const all = await this.#index({});
    const wanted = idOrLatest.trim();
    const found = wanted.toLowerCase() === "latest" ? all.slice(0, 1) : all.filter((e) => e.id === wanted);
    const byPrefix = found.length > 0 ? found : all.filter((e) => e.id.startsWith(wanted));
    if (byPrefix.length === 1) return byPrefix[0]!;
    const examples = all.slice(0, 3).map((e) => e.id);
    throw new ConfigError(
      "RUN_NOT_FOUND",
      byPrefix.length > 1
        ? `"${wanted}" matches ${byPrefix.length} runs`
        : all.length === 0
          ? `No run is stored in ${this.storage.location}`
          : `No run "${wanted}" in ${this.storage.location}`,
      {
        expected: byPrefix.length > 1 ? "a longer run id prefix" : examples.length ? `a run id such as ${examples.join(", ")}, or latest` : "a stored run",
        fix: all.length === 0 ? "Run a test set first: assay run <testset>." : "List runs with: assay list runs.",
      },
    );
  }

  async #locate(runId: string): Promise<RunLocation> {
    const known = this.#runs.get(runId);
    if (known) return known;
    const entry = await this.#find(runId);
    const header = await this.#read(entry.key, TestRun);
    const location = { headerKey: entry.key, indexById: new Map(header.testcases.map((t, i) => [t.id, i])) };
    this.#runs.set(runId, location);
    return location;
  }

  /** Where a stored object is, as the user finds it: the storage location and the key under it. */
  #where(key: string): string {
    const location = this.storage.location;
    return location.startsWith("file:") ? `${location.slice(5).replace(/\/$/, "")}/${key}` : `${location} ${key}`;
  }

  async #read<T>(key: string, schema: ZodType<T>): Promise<T> {
    const bytes = await this.storage.read(key);
    let value: unknown;
    try {
      value = this.formatter.parse(bytes);
    } catch (error) {
      // A damaged file (truncated, edited by hand) is named with its path, not only the parser's complaint.
      throw new StorageError("FORMAT_INVALID", `Stored object ${this.#where(key)} cannot be read as ${this.formatter.name}: ${error instanceof Error ? error.message : String(error)}`, {
        where: { file: this.#where(key) },
        fix: "The file was damaged or changed by hand; remove it or restore it from a copy.",
        cause: error,
      });
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new StorageError("FORMAT_INVALID", `Stored object ${this.#where(key)} is not valid: ${issue.path.join(".")}: ${issue.message}`, {
        where: { file: this.#where(key), key: issue.path.join(".") || undefined },
        fix: "The file was changed or written by an incompatible version; remove it or restore it.",
      });
    }
    return parsed.data;
  }
}
