/**
 * A child process for the lookup benchmark, so that the load generator does not
 * share an event loop with the server it measures. Mode "baton" serves Baton
 * over a seeded database, with logs silenced; mode "baton-logged" does the same
 * logging at the default level (info) to /dev/null through the server's own
 * asynchronous destination; mode "bare" serves one hono route returning fixed bytes.
 */
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import type { AddressInfo } from "node:net";
import { loadConfig } from "../../src/config";
import { fixedClock } from "../../src/domain/time";
import { createApp } from "../../src/http/app";
import { asyncDestination, jsonLogger } from "../../src/logger";
import { openTestDb } from "../helpers/postgres";
import { BENCH_TOKEN } from "./lookup-fixture";

const [mode, arg1, arg2] = process.argv.slice(2);
let fetch: (req: Request) => Response | Promise<Response>;
if (mode === "baton" || mode === "baton-logged") {
  const db = await openTestDb(arg1!);
  const level = mode === "baton" ? "silent" : "info";
  const config = loadConfig({ BATON_DB: arg1, BATON_ADMIN_TOKEN: BENCH_TOKEN, BATON_LOG_LEVEL: level });
  const log = jsonLogger(level, asyncDestination("/dev/null"));
  fetch = createApp({ db, clock: fixedClock(arg2!), config, log }).fetch;
} else {
  const bytes = arg1!;
  const bare = new Hono();
  bare.get("/api/v1/oncall", (c) => c.body(bytes, 200, { "content-type": "application/json" }));
  fetch = bare.fetch;
}
const server = serve({ fetch, port: 0 });
server.once("listening", () => process.stdout.write(`${(server.address() as AddressInfo).port}\n`));
