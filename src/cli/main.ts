import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { ConfigError, loadConfig, type Config } from "../config";
import { findMember, loadOrg } from "../db/org-store";
import { recordedServerUrl } from "../db/token-store";
import { BatonError } from "../domain/errors";
import { orgFileSchema } from "../domain/org-file";
import { systemClock, toIsoZ, tryParseInstant, type Clock } from "../domain/time";
import { parseJsonText, parseOrThrow } from "../domain/validation";
import type { Db } from "../db/open";
import { openCheckedDb, StartupError, startServer } from "../server";
import type { ServiceContext } from "../services/context";
import { importOrg, previewImport } from "../services/org";
import { issueToken } from "../services/tokens";
import { calendarLinks } from "../services/calendar";
import { oncallForAll, oncallForTeam } from "../services/oncall";
import { OncallIndex } from "../services/oncall-index";
import { applySchedule, planRequestSchema, planSchedule } from "../services/schedule";
import { formatImport, formatPlan } from "./format";
import { runMigrate, VENDORS } from "./migrate";
import { VendorAuthError, VendorError } from "../vendors/http";

export type CliIo = {
  env: Record<string, string | undefined>;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** "Now" for plans and lookups; the system clock unless a test hands in its own. */
  clock?: Clock;
  /** Outbound HTTP and waiting, for `migrate`; the real ones unless a test hands in its own. */
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
};

const USAGE = `usage: baton <command>
  import [--dry-run] [--allow-empty] <org.json>
                                    validate and import an org file (--dry-run: only say what it would change;
                                    --allow-empty: even one that retires everyone)
  diff <org.json>                   what importing the file would change; exit 0 if nothing, 3 if something
  plan --team T --weeks N           show the plan for the next N weeks
  apply --team T --weeks N          store that plan
  who [--team T] [--at ISO]         who is on call
  serve [--port P]                  serve the web app and API
  token --member M                  print a member's login and calendar links
  token --admin                     print the generated admin token
  migrate pagerduty|opsgenie --api-key K [--base-url U] [--dry-run] [--out F] [--keep-weeks N]
                                    take over a vendor's people, teams and schedules`;

/** A usage mistake: exit 2 with the usage text. */
class UsageError extends Error {}
/** Bad input: exit 1 with a one-line reason. */
class InputError extends Error {}

const OPTIONS = {
  import: { "dry-run": { type: "boolean" }, "allow-empty": { type: "boolean" } },
  diff: {},
  plan: { team: { type: "string" }, weeks: { type: "string" }, from: { type: "string" } },
  apply: { team: { type: "string" }, weeks: { type: "string" }, from: { type: "string" } },
  who: { team: { type: "string" }, at: { type: "string" } },
  serve: { port: { type: "string" } },
  token: { member: { type: "string" }, admin: { type: "boolean" } },
  migrate: { "api-key": { type: "string" }, "base-url": { type: "string" }, "dry-run": { type: "boolean" }, out: { type: "string" }, "keep-weeks": { type: "string" } },
} as const;

type Command = keyof typeof OPTIONS;

/** The databases a command opened: closed when it ends, or a PostgreSQL pool would keep the process alive. */
type Opened = Db[];

async function adminContext(config: Config, clock: Clock, opened: Opened): Promise<ServiceContext> {
  const db = await openCheckedDb(config);
  opened.push(db);
  return { db, clock, config, actor: { kind: "admin", via: "cli" }, changed: () => {} };
}

/** Every problem on a line of its own, each named as a person finds it (with ids beside indexes). */
function problemLines(error: BatonError): string[] {
  if (error.errors.length === 0) return [error.message];
  return error.errors.map((e) => `${e.where ?? e.path}: ${e.message}`);
}

async function run(argv: string[], io: CliIo, opened: Opened): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    io.stdout(USAGE + "\n");
    return name === undefined ? 2 : 0;
  }
  if (!Object.hasOwn(OPTIONS, name)) throw new UsageError(`unknown command ${name}`);
  const command = name as Command;
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: OPTIONS[command], allowPositionals: command === "import" || command === "diff" || command === "migrate", strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const values = parsed.values as Record<string, string | undefined> & { admin?: boolean; "dry-run"?: boolean; "allow-empty"?: boolean };
  const env = { ...io.env, ...(values.port ? { PORT: values.port } : {}) };
  const config = loadConfig(env);
  const clock = io.clock ?? systemClock;

  switch (command) {
    case "import":
    case "diff": {
      const [file, ...extra] = parsed.positionals;
      if (!file || extra.length > 0) throw new UsageError(`${command} takes exactly one file`);
      let text: string;
      try {
        text = readFileSync(file, "utf8");
      } catch (error) {
        throw new InputError(`cannot read ${file}: ${(error as Error).message}`);
      }
      let input: unknown;
      try {
        input = parseJsonText(text);
      } catch (error) {
        if (!(error instanceof BatonError)) throw error;
        throw new InputError(`${file}: ${error.errors[0]!.message}`);
      }
      const org = parseOrThrow(orgFileSchema, input);
      const ctx = await adminContext(config, clock, opened);
      const options = { allowEmpty: values["allow-empty"] === true };
      if (command === "diff" || values["dry-run"]) {
        const preview = await previewImport(ctx, org, options);
        io.stdout(formatImport(file, preview, preview.changes ? "would change" : "matches the database"));
        return command === "diff" && preview.changes ? 3 : 0;
      }
      io.stdout(formatImport(file, await importOrg(ctx, org, options), "imported"));
      return 0;
    }
    case "serve":
      await startServer(config, io);
      return await new Promise<number>(() => {});
    case "token": {
      if (values.admin) {
        if (values.member) throw new UsageError("token takes --member M or --admin, not both");
        if (config.BATON_ADMIN_TOKEN) throw new InputError("the admin token is the one set in BATON_ADMIN_TOKEN");
        io.stdout(`${await issueToken((await adminContext(config, clock, opened)).db, "admin", null)}\n`);
        return 0;
      }
      if (!values.member) throw new UsageError("token needs --member M or --admin");
      const ctx = await adminContext(config, clock, opened);
      const member = await findMember(ctx.db, values.member);
      if (!member || member.retired) throw new InputError(`no member ${values.member}`);
      const login = await issueToken(ctx.db, "personal", member.id);
      // Links must open where Baton really serves: the configured URL, else the one the server last served on.
      const base = config.BATON_PUBLIC_URL?.replace(/\/+$/, "") ?? await recordedServerUrl(ctx.db) ?? config.publicUrl;
      const calendar = calendarLinks(base, await issueToken(ctx.db, "calendar", member.id));
      io.stdout(`${member.name}\n  login:    ${base}/login/${login}\n  calendar: ${calendar.https}\n  webcal:   ${calendar.webcal}\n  google:   ${calendar.google}\n`);
      return 0;
    }
    case "plan":
    case "apply": {
      if (!values.team) throw new UsageError(`${command} needs --team T`);
      const weeks = Number(values.weeks ?? "12");
      const request = parseOrThrow(planRequestSchema, { weeks, ...(values.from ? { from: values.from } : {}) });
      const ctx = await adminContext(config, clock, opened);
      const result = command === "plan" ? await planSchedule(ctx, values.team, request) : await applySchedule(ctx, values.team, request);
      io.stdout(formatPlan((await loadOrg(ctx.db)).teams.find((t) => t.id === values.team)!, result, command === "plan" ? "would change" : "applied"));
      return 0;
    }
    case "migrate": {
      const [vendor, ...extra] = parsed.positionals;
      const known = VENDORS.find((v) => v === vendor);
      if (!known || extra.length > 0) throw new UsageError("migrate takes one vendor: pagerduty or opsgenie");
      if (!values["api-key"]) throw new UsageError("migrate needs --api-key K");
      if (values["base-url"] !== undefined && !URL.canParse(values["base-url"])) throw new UsageError(`--base-url ${values["base-url"]} is not a URL`);
      const keepWeeks = Number(values["keep-weeks"] ?? "4");
      if (!Number.isInteger(keepWeeks) || keepWeeks < 1 || keepWeeks > 52) throw new UsageError("--keep-weeks must be a whole number of weeks from 1 to 52");
      const http = {
        fetch: io.fetch ?? fetch,
        sleep: io.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))),
        nowMs: () => clock.now().toMillis(),
      };
      const options = { vendor: known, apiKey: values["api-key"], baseUrl: values["base-url"], dryRun: values["dry-run"] === true, out: values.out, keepWeeks };
      await runMigrate(await adminContext(config, clock, opened), http, options, io.stdout);
      return 0;
    }
    case "who": {
      const at = values.at ?? toIsoZ(clock.now());
      const instant = tryParseInstant(at);
      if (!instant) throw new InputError(`--at ${at} is not an ISO 8601 instant with an offset or Z`);
      const index = new OncallIndex((await adminContext(config, clock, opened)).db);
      const answers = values.team ? [await oncallForTeam(index, values.team, toIsoZ(instant))] : (await oncallForAll(index, toIsoZ(instant))).teams;
      for (const answer of answers) {
        const people = answer.oncall.map((o) => `${o.member.name} (${o.rotation}, until ${o.end})`).join(", ");
        io.stdout(`${answer.team}: ${people || "nobody"}\n`);
      }
      return 0;
    }
  }
}

/** Runs the CLI; answers the exit code (0 ok, 1 bad input, 2 usage; `diff`: 3 when the file would change something). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const opened: Opened = [];
  try {
    return await run(argv, io, opened);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`baton: ${error.message}\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof BatonError) {
      io.stderr(problemLines(error).map((line) => `baton: ${line}\n`).join(""));
      return 1;
    }
    if (error instanceof InputError || error instanceof ConfigError || error instanceof StartupError || error instanceof VendorError || error instanceof VendorAuthError) {
      io.stderr(`baton: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    for (const db of opened) await db.close();
  }
}
