import { validatePluginModule, type RunEvent } from "@assay/ports";
import { describeNotifierContract, SAMPLE_RUN_EVENTS } from "@assay/ports/testing";
import { readFileSync } from "node:fs";
import { describe, expect, expectTypeOf, it } from "vitest";
import * as pluginModule from "../src/index.js";
import plugin, { MemoryNotifier } from "../src/index.js";

const context = { projectRoot: process.cwd(), warn: () => undefined };

describeNotifierContract("memory", () => plugin.create({}, context));

describe("memory notifier", () => {
  it("matches its package manifest", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { assay: { apiVersion: number; kind: "notifier"; name: string } };
    expect(validatePluginModule(pluginModule, pkg.assay, "@assay/notifier-memory")).toBe(plugin);
  });

  it("keeps every event in order, and after close", async () => {
    const n = await plugin.create({}, context);
    expect(n).toBeInstanceOf(MemoryNotifier);
    for (const event of SAMPLE_RUN_EVENTS) n.notify(event);
    await n.close();
    expect(n.events).toEqual(SAMPLE_RUN_EVENTS);
  });

  it("filters by type, typed", () => {
    const n = new MemoryNotifier();
    for (const event of SAMPLE_RUN_EVENTS) n.notify(event);
    const finished = n.ofType("testcase.finished");
    expectTypeOf(finished).toEqualTypeOf<Extract<RunEvent, { type: "testcase.finished" }>[]>();
    expect(finished.map((e) => e.result)).toEqual(["OK"]);
    expect(n.ofType("warning").map((e) => e.message)).toEqual(["something to know"]);
  });

  it("clears", () => {
    const n = new MemoryNotifier();
    for (const event of SAMPLE_RUN_EVENTS) n.notify(event);
    n.clear();
    expect(n.events).toEqual([]);
    n.notify(SAMPLE_RUN_EVENTS[0]!);
    expect(n.events).toHaveLength(1);
  });

  it("drops the oldest events beyond the limit", async () => {
    const n = await plugin.create({ limit: 3 }, context);
    for (const event of SAMPLE_RUN_EVENTS) n.notify(event);
    expect(n.events).toEqual(SAMPLE_RUN_EVENTS.slice(-3));
  });

  it("validates its options strictly", async () => {
    const check = (value: unknown) => plugin.optionsSchema["~standard"].validate(value);
    expect((await check({})).issues).toBeUndefined();
    expect((await check({ limit: 10 })).issues).toBeUndefined();
    for (const bad of [{ limit: 0 }, { limit: 1.5 }, { limit: "10" }, { max: 10 }]) {
      expect((await check(bad)).issues, JSON.stringify(bad)).toBeDefined();
    }
  });
});
