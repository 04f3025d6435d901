import { expect } from "vitest";
import { LatestLoad } from "../../backend.js";
import type { LoadColumns } from "../../backend.js";
import { STAGE_EMPTY_TABLE, STAGE_ONE_LOAD_TABLE, STAGE_TABLE } from "../fixture.js";
import { requireCapability, type BackendCheck, type ContractEnv } from "./support.js";

const group = "latestLoad";

async function latestLoad(env: ContractEnv, name: string, columns?: Partial<LoadColumns>): Promise<LatestLoad> {
  requireCapability(env, "latestLoad");
  const backend = env.backend();
  if (!backend.latestLoad) throw new Error("capabilities.latestLoad is true but latestLoad() is missing");
  return LatestLoad.parse(await backend.latestLoad(env.obj(name), columns));
}

/** The newest load of a stage table, for STAGECOUNT: its time as a timestamp value, its files with their rows. */
export const latestLoadChecks: BackendCheck[] = [
  {
    group,
    name: "gives the newest load's files in code-point order of path, files differing only in case or by a trailing space apart, rows without a time in no load",
    needs: ["fixtures"],
    async run(env) {
      expect(await latestLoad(env, STAGE_TABLE.name)).toEqual({
        loadedAt: "2024-01-02T10:00:00",
        files: [
          { path: "stage/B.csv", rows: 1 },
          { path: "stage/b.csv", rows: 2 },
          { path: "stage/b.csv ", rows: 1 },
          { path: "stage/é.csv", rows: 1 },
        ],
      });
    },
  },
  {
    group,
    name: "reads a table holding one load, under the given column names",
    needs: ["fixtures"],
    async run(env) {
      expect(await latestLoad(env, STAGE_ONE_LOAD_TABLE.name, { timestamp: "loaded", file: "source" })).toEqual({
        loadedAt: "2024-03-01T08:30:00",
        files: [{ path: "one.csv", rows: 3 }],
      });
    },
  },
  {
    group,
    name: "gives no load time and no files for an empty stage table",
    needs: ["fixtures"],
    async run(env) {
      expect(await latestLoad(env, STAGE_EMPTY_TABLE.name)).toEqual({ loadedAt: null, files: [] });
    },
  },
];
