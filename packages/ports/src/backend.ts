import { z } from "zod";
import type { TestObjectRef} from "./values.js";
import { CellValue, Coordinates, Row, type CallOptions } from "./values.js";

/**
 * What a backend can do natively. Core reads these before calling: a missing capability means
 * core falls back (COMPARE merges two ordered scans) or marks the test case N/A with the reason.
 * A capability set to true promises that the matching optional method exists.
 */
export const BackendCapabilities = z.object({
  /** getSchema reports primary keys. */
  primaryKeys: z.boolean(),
  /** getSchema reports partition columns. */
  partitioning: z.boolean(),
  /** getSchema reports clustering columns. */
  clustering: z.boolean(),
  /** compare() exists: full in-engine COMPARE. */
  compare: z.boolean(),
  /** compare() accepts `sample`. */
  sampledCompare: z.boolean(),
  /** scan() exists: key-ordered row streams for core's merge COMPARE. */
  orderedScan: z.boolean(),
  /** latestLoad() exists: the newest load of a stage table, for STAGECOUNT. */
  latestLoad: z.boolean(),
  /**
   * checksum() and checksumRows() exist: per-segment counts and checksums of the canonical row
   * encoding, for COMPARE across two engines. Optional: absent means false.
   */
  checksum: z.boolean().optional(),
});
export type BackendCapabilities = z.infer<typeof BackendCapabilities>;

/** Backends list tables and views; "files" is kept for raw-file folders listed by core's raw-file service. */
export const TestObjectKind = z.enum(["table", "view", "files"]);
export type TestObjectKind = z.infer<typeof TestObjectKind>;

export const TestObjectInfo = z.object({
  name: z.string().min(1),
  kind: TestObjectKind,
});
export type TestObjectInfo = z.infer<typeof TestObjectInfo>;

/**
 * Harmonised types: the engine-independent vocabulary SCHEMA compares on. Decimal precision and
 * scale are kept (`decimal(12,2)`); every character type is `string` (lengths are not compared);
 * `timestamptz` is distinct from `timestamp`.
 * Base names: int, bigint, smallint, tinyint, decimal, float, double, string, boolean, date,
 * time, timestamp, timestamptz, interval, binary, json, uuid; anything else is the engine's
 * lower-cased raw type.
 */
export const Column = z.object({
  name: z.string(),
  /** The type as the engine names it, e.g. `INTEGER`, `character varying(20)`. */
  rawType: z.string(),
  /** The harmonised type, e.g. `int`, `string`, `decimal(12,2)`. */
  type: z.string(),
});
export type Column = z.infer<typeof Column>;

export const TableSchema = z.object({
  columns: z.array(Column),
  /** null when the backend cannot tell (capabilities.primaryKeys false). */
  primaryKeys: z.array(z.string()).nullable(),
  partitioning: z.array(z.string()).nullable(),
  clustering: z.array(z.string()).nullable(),
});
export type TableSchema = z.infer<typeof TableSchema>;

/** Equality filter: `column = value`, or `column IS NULL` for null. Values are bound, never spliced. */
export const RowFilter = z.object({ column: z.string().min(1), value: CellValue });
export type RowFilter = z.infer<typeof RowFilter>;

export const RawFileOptions = z.object({
  format: z.enum(["csv", "parquet"]).optional(),
  encoding: z.string().optional(),
  /** Header lines to skip; inferred by the engine when absent. */
  headerLines: z.number().int().min(0).optional(),
  delimiter: z.string().length(1).optional(),
});
export type RawFileOptions = z.infer<typeof RawFileOptions>;

/** `path` echoes the path exactly as it was asked for (core matches it to the stage table's value). */
export const RawFileCount = z.object({ path: z.string(), rows: z.number().int().min(0) });
export type RawFileCount = z.infer<typeof RawFileCount>;

/** The newest load of a stage table: the files it came from and how many rows each gave. */
export const LatestLoad = z.object({
  loadedAt: z.string().nullable(),
  files: z.array(RawFileCount),
});
export type LatestLoad = z.infer<typeof LatestLoad>;

export const LoadColumns = z.object({
  timestamp: z.string().default("m__ts"),
  file: z.string().default("m__source_file_path"),
});
export type LoadColumns = z.infer<typeof LoadColumns>;

export const Tolerance = z.object({
  /** Absolute tolerance for numeric columns without their own entry. */
  default: z.number().min(0).default(0),
  columns: z.record(z.string(), z.number().min(0)).default({}),
});
export type Tolerance = z.infer<typeof Tolerance>;

export const CompareRequest = z.object({
  at: Coordinates,
  /** A plain SELECT giving the rows the object should hold; resolved at `at`, never rewritten. */
  expectedSql: z.string().min(1),
  /** The test object compared against. */
  object: z.string().min(1),
  /** Key columns (the schema spec's primary keys); compared NULL-safely. */
  keys: z.array(z.string().min(1)).min(1),
  /** Columns compared besides the keys; default: every column of the expected query but the keys. */
  columns: z.array(z.string()).optional(),
  tolerance: Tolerance.default({ default: 0, columns: {} }),
  maxDiffRows: z.number().int().min(0).default(100),
  /**
   * Sampled mode: both sides keep the rows whose key hash falls under `percent`. The hash is
   * deterministic and the same on both sides, so a key is in or out on both.
   */
  sample: z.object({ percent: z.number().gt(0).max(100), seed: z.string().default("assay") }).optional(),
});
export type CompareRequest = z.input<typeof CompareRequest>;
export type CompareRequestResolved = z.output<typeof CompareRequest>;

export const DiffKind = z.enum(["missing", "extra", "mismatch", "duplicate"]);
export type DiffKind = z.infer<typeof DiffKind>;

export const DiffRow = z.object({
  /** missing: in expected only; extra: in the object only; mismatch: both, values differ; duplicate: key not unique on `side`. */
  kind: DiffKind,
  key: Row,
  expected: Row.nullable(),
  actual: Row.nullable(),
  /** The compared columns that differ (mismatch only). */
  columns: z.array(z.string()),
  /**
   * duplicate only: which side repeats the key, and how often. The first row of that side is in
   * `expected` or `actual` (the side named), the other is null.
   */
  side: z.enum(["expected", "actual"]).optional(),
  count: z.number().int().optional(),
});
export type DiffRow = z.infer<typeof DiffRow>;

export const CompareResult = z.object({
  expectedRows: z.number().int().min(0),
  actualRows: z.number().int().min(0),
  /** Keys present once on each side with every compared column equal (within tolerance). */
  matchedRows: z.number().int().min(0),
  missingRows: z.number().int().min(0),
  extraRows: z.number().int().min(0),
  mismatchedRows: z.number().int().min(0),
  /** Distinct keys that occur more than once, per side. Their rows are reported, not compared. */
  duplicateKeys: z.object({ expected: z.number().int().min(0), actual: z.number().int().min(0) }),
  /** Mismatch count per compared column, in compared-column order. */
  columns: z.array(z.object({ name: z.string(), mismatches: z.number().int().min(0) })),
  /** At most maxDiffRows rows, ordered by kind-independent key order. */
  diff: z.array(DiffRow),
  /** More differing rows exist than `diff` holds. */
  truncated: z.boolean(),
  sample: z.object({ percent: z.number(), seed: z.string() }).nullable(),
});
export type CompareResult = z.infer<typeof CompareResult>;

export const ScanSource = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("query"), sql: z.string().min(1) }),
  z.object({ kind: z.literal("object"), name: z.string().min(1) }),
]);
export type ScanSource = z.infer<typeof ScanSource>;

export const ScanRequest = z.object({
  at: Coordinates,
  source: ScanSource,
  /**
   * Rows come sorted by these columns, ascending, NULLs first, in binary order: numbers by value,
   * strings by code point (no locale collation: PostgreSQL needs COLLATE "C"), false before true.
   * Core's merge compares keys in exactly this order and refuses out-of-order input.
   */
  orderBy: z.array(z.string().min(1)).min(1),
  columns: z.array(z.string()).optional(),
});
export type ScanRequest = z.infer<typeof ScanRequest>;

/** A set of key-hash segments: those whose key hash has one of `segments` as its top `bits` bits. */
export const ChecksumScope = z.object({
  bits: z.number().int().min(0).max(32),
  segments: z.array(z.number().int().min(0)).min(1),
});
export type ChecksumScope = z.infer<typeof ChecksumScope>;

/**
 * The type a key or column is encoded in when the two sides' harmonised types differ, as the
 * in-engine COMPARE meets them: `double` (a float against another number: at full precision),
 * `timestamp` (a date against a timestamp: the date at midnight), `timestamptz` (a date or
 * timestamp against a timestamptz: read as UTC).
 */
export const ChecksumEncoding = z.enum(["double", "timestamp", "timestamptz"]);
export type ChecksumEncoding = z.infer<typeof ChecksumEncoding>;

/**
 * What both sides of a cross-engine COMPARE encode the same way. Every row is written as a
 * canonical text (the same value gives the same bytes on every engine; see the README of
 * @assay/ports), and its key's canonical text gives the key hash: the first 8 hex digits of its
 * md5, an integer in [0, 2^32). A segment is the set of keys whose hash shares its top `bits`
 * bits, so segments never depend on an engine's collation.
 */
export const ChecksumRequest = z.object({
  at: Coordinates,
  source: ScanSource,
  keys: z.array(z.string().min(1)).min(1),
  /** Compared columns besides the keys, in this order. */
  columns: z.array(z.string()),
  /** Numeric columns with a tolerance above 0 enter the checksum quantised: round(value / tolerance). */
  tolerance: Tolerance.default({ default: 0, columns: {} }),
  /**
   * Per key or column (by its name in `keys` or `columns`), the type both sides encode it in
   * where their types differ: each side casts its value to that type before encoding it in that
   * type's canonical form; checksumRows' own values stay uncast. Absent: each in its own type.
   */
  encodeAs: z.record(z.string(), ChecksumEncoding).default({}),
  /** Segments of this level: the key hash's top `bits` bits (0: one segment, the whole source). */
  bits: z.number().int().min(0).max(32),
  /** Only rows of these segments (of a coarser level); null: every row. */
  within: ChecksumScope.nullable().default(null),
  /** Also count the keys that occur more than once per segment (a grouping by key: costs more). */
  countDuplicates: z.boolean().default(false),
});
export type ChecksumRequest = z.input<typeof ChecksumRequest>;

/** One non-empty segment of a side. */
export const SegmentChecksum = z.object({
  segment: z.number().int().min(0),
  rows: z.number().int().min(0),
  /** Keys occurring more than once in the segment; 0 unless countDuplicates was asked. */
  duplicateKeys: z.number().int().min(0),
  /** Sum over rows of the first 12 hex digits of the md5 of the canonical row text, as exact decimal text. */
  sum: z.string(),
});
export type SegmentChecksum = z.infer<typeof SegmentChecksum>;

/** The rows of some segments in canonical form, for the final exact comparison. */
export const ChecksumRowsRequest = ChecksumRequest.omit({ bits: true, within: true, countDuplicates: true }).extend({ within: ChecksumScope });
export type ChecksumRowsRequest = z.input<typeof ChecksumRowsRequest>;

/** Column names of checksumRows' key hash and canonical key text. */
export const KEY_HASH_COLUMN = "__assay_kh";
export const KEY_TEXT_COLUMN = "__assay_key";
/**
 * The column of checksumRows holding the own value (as query() gives it) of the `index`-th of the
 * keys then the columns: by position, so a long column name never makes an alias too long.
 */
export const ownValueColumn = (index: number): string => `__assay_v${index}`;

/**
 * A data platform. Instances are created per run and may be called concurrently: an adapter
 * manages its own connections or pool. Every method that touches data honours `signal`.
 */
export interface Backend {
  readonly capabilities: BackendCapabilities;
  /** Tables and views at the coordinates (raw files are core's raw-file service's, not a backend's). */
  listTestObjects(at: Coordinates, options?: CallOptions): Promise<TestObjectInfo[]>;
  /**
   * Whether a test object of that exact name exists at its coordinates: one catalogue lookup,
   * never a listing of every object. False (not an error) when it does not.
   */
  exists(object: TestObjectRef, options?: CallOptions): Promise<boolean>;
  /**
   * Whether the object holds at least one row: a LIMIT 1 read, never a full count. Throws
   * BACKEND_OBJECT_NOT_FOUND for an unknown object.
   */
  hasRows(object: TestObjectRef, options?: CallOptions): Promise<boolean>;
  /** Throws BackendError BACKEND_OBJECT_NOT_FOUND for an unknown object. */
  getSchema(object: TestObjectRef, options?: CallOptions): Promise<TableSchema>;
  /** The columns of a query's result, without materialising it. */
  getQuerySchema(sql: string, at: Coordinates, options?: CallOptions): Promise<Column[]>;
  countRows(object: TestObjectRef, filters?: RowFilter[], options?: CallOptions): Promise<number>;
  /** Runs read-only SQL at the coordinates and streams its rows. */
  query(sql: string, at: Coordinates, options?: CallOptions): AsyncIterable<Row>;
  /** capabilities.compare: the in-engine COMPARE. */
  compare?(request: CompareRequest, options?: CallOptions): Promise<CompareResult>;
  /** capabilities.orderedScan: key-ordered rows of a query or object. */
  scan?(request: ScanRequest, options?: CallOptions): AsyncIterable<Row>;
  /** capabilities.latestLoad: the newest load of a stage table. */
  latestLoad?(object: TestObjectRef, columns?: Partial<LoadColumns>, options?: CallOptions): Promise<LatestLoad>;
  /**
   * capabilities.checksum: per segment of `bits`, the row count and the checksum of the
   * canonical row texts, for the non-empty segments (within `within`), ordered by segment.
   */
  checksum?(request: ChecksumRequest, options?: CallOptions): Promise<SegmentChecksum[]>;
  /**
   * capabilities.checksum: the rows of the segments `within`, ordered by key hash: the key hash
   * (KEY_HASH_COLUMN), the canonical key text (KEY_TEXT_COLUMN), then each key and column as its
   * canonical text (null for NULL), numeric columns not quantised, and as its own value
   * (ownValueColumn(i), the keys first), which the differing rows show.
   */
  checksumRows?(request: ChecksumRowsRequest, options?: CallOptions): AsyncIterable<Row>;
  /** Releases connections. Idempotent; never throws. */
  close(): Promise<void>;
}

/** Methods every backend has; the rest depend on capabilities. */
export const BACKEND_REQUIRED_METHODS = [
  "listTestObjects",
  "exists",
  "hasRows",
  "getSchema",
  "getQuerySchema",
  "countRows",
  "query",
  "close",
] as const;

export const BACKEND_CAPABILITY_METHODS: Record<keyof BackendCapabilities, readonly string[]> = {
  primaryKeys: [],
  partitioning: [],
  clustering: [],
  compare: ["compare"],
  sampledCompare: ["compare"],
  orderedScan: ["scan"],
  latestLoad: ["latestLoad"],
  checksum: ["checksum", "checksumRows"],
};

export interface BackendFactory<Options = unknown> {
  create(options: Options, context: PluginContext): Promise<Backend>;
}

/** What every plugin's create() receives besides its options. */
export interface PluginContext {
  /** The folder holding assay.config.yaml: relative paths in options resolve against it. */
  projectRoot: string;
  /** Warnings for the user (deprecated options, fallbacks); never secrets. */
  warn(message: string): void;
}
