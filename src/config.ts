import { z } from "zod";

const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  BATON_DB: z.string().min(1).default("./data/baton.db"),
  BATON_ADMIN_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  BATON_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  BATON_PUBLIC_URL: z.url().optional(),
  BATON_WEBHOOK_URL: z.url().optional(),
  BATON_LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  BATON_PLAN_WEEKS: z.coerce.number().int().min(1).max(104).default(12),
  BATON_BODY_LIMIT_MB: z.coerce.number().int().min(1).max(1024).default(32),
  BATON_PG_POOL: z.coerce.number().int().min(2).max(200).default(10),
});

export type Config = z.infer<typeof configSchema> & { publicUrl: string };

export class ConfigError extends Error {}

/** Parses the environment once, at start; a bad value names its variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  // An empty variable is an unset one, as in most shells' `VAR= command`.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ""));
  const result = configSchema.safeParse(present);
  if (!result.success) {
    const first = result.error.issues[0]!;
    throw new ConfigError(`invalid environment variable ${String(first.path[0])}: ${first.message}`);
  }
  const publicUrl = (result.data.BATON_PUBLIC_URL ?? `http://localhost:${result.data.PORT}`).replace(/\/+$/, "");
  return { ...result.data, publicUrl };
}
