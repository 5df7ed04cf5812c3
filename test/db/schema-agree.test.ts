import { getTableConfig as pgConfig } from "drizzle-orm/pg-core";
import { getTableConfig as sqliteConfig } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import * as sqlite from "../../src/db/schema";
import * as pg from "../../src/db/schema-pg";

type Shape = { name: string; columns: { name: string; notNull: boolean; primary: boolean; hasDefault: boolean }[]; primaryKeys: string[][]; indexes: string[] };

/** What both dialects must agree on: tables, columns (name, nullability, key, default), composite keys and index names. */
function shapeOf(config: ReturnType<typeof sqliteConfig> | ReturnType<typeof pgConfig>): Shape {
  return {
    name: config.name,
    columns: config.columns.map((c) => ({ name: c.name, notNull: c.notNull, primary: c.primary, hasDefault: c.hasDefault })).sort((a, b) => a.name.localeCompare(b.name)),
    primaryKeys: config.primaryKeys.map((k) => k.columns.map((c) => c.name ?? "")),
    indexes: config.indexes.map((i) => i.config.name ?? "").sort(),
  };
}

describe("the SQLite schema and its PostgreSQL twin", () => {
  it("define the same tables with the same columns, keys and indexes", () => {
    expect(Object.keys(pg).sort()).toEqual(Object.keys(sqlite).sort());
    for (const name of Object.keys(sqlite) as (keyof typeof sqlite)[]) {
      const theirs = shapeOf(pgConfig(pg[name] as never));
      expect(theirs, name).toEqual(shapeOf(sqliteConfig(sqlite[name] as never)));
    }
  });
});
