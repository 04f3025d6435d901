import { BackendError, ChecksumRequest, type ChecksumRowsRequest } from "@assay/ports";
import type { Dialect } from "../dialect.js";
import type { ChecksumSide } from "./plan.js";
import type { EncodedColumn } from "./encode.js";

/**
 * The side a checksum request reads: its columns matched by name (exactly, else ignoring case,
 * as COMPARE matches them), each with the side's own harmonised type and the type it is encoded
 * in (by the requested name), and the tolerance per column looked up ignoring case too.
 */
export function checksumSide(dialect: Dialect, from: string, available: EncodedColumn[], request: ChecksumRequest | ChecksumRowsRequest, what: string): ChecksumSide {
  const parsed = ChecksumRequest.pick({ tolerance: true, encodeAs: true }).parse({ tolerance: request.tolerance, encodeAs: request.encodeAs });
  const find = (name: string) => {
    const column = available.find((c) => c.name === name) ?? available.find((c) => c.name.toLowerCase() === name.toLowerCase());
    if (!column) {
      throw new BackendError("BACKEND_QUERY", `${what} has no column "${name}" (it has ${available.map((c) => c.name).join(", ")})`, {
        fix: "Compare columns that both sides have: the expected query's columns must exist in the test object.",
      });
    }
    return { ...column, as: name, encodeAs: parsed.encodeAs[name] };
  };
  const tolerances = new Map(Object.entries(parsed.tolerance.columns).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    dialect,
    hooks: dialect.checksum!,
    from,
    keys: request.keys.map(find),
    columns: request.columns.map(find),
    quantum: (column) => tolerances.get(column.toLowerCase()) ?? parsed.tolerance.default,
  };
}
