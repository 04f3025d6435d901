// A driver that records every statement and answers from a script: golden SQL tests of the kit and
// of each dialect (packages/backend-*/test/golden.test.ts) run the real kit over it, with no engine.
import type { Row } from "@assay/ports";
import type { Driver, DriverSession, NativeColumn, Param } from "../src/index.js";

export interface Recorded {
  sql: string;
  params: Param[];
}

export class RecordingDriver implements Driver {
  readonly engine = "Test";
  readonly errors = { rules: [] };
  readonly statements: Recorded[] = [];

  constructor(
    private readonly respond: (sql: string) => Row[],
    private readonly describeQuery: (sql: string) => NativeColumn[] = () => [],
  ) {}

  open(): Promise<DriverSession> {
    const record = (sql: string, params: readonly Param[] = []): Row[] => {
      this.statements.push({ sql, params: [...params] });
      return this.respond(sql);
    };
    return Promise.resolve({
      all: (sql, params) => Promise.resolve(record(sql, params)),
      stream: async function* (sql, params) {
        yield await Promise.resolve(record(sql, params));
      },
      describe: (sql) => Promise.resolve(this.describeQuery(sql)),
      checkReadOnly: () => Promise.resolve(),
      release: () => Promise.resolve(),
    });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
