import type { Context } from "hono";
import type { Config } from "../../config";
import type { Db } from "../../db/open";
import type { Clock } from "../../domain/time";
import type { ServiceContext } from "../../services/context";
import type { OncallIndex } from "../../services/oncall-index";
import type { SwapEvent } from "../../services/swaps";
import type { Authenticator } from "../../services/tokens";
import type { AppEnv } from "../env";
import type { PageForms } from "../page-forms";
import type { PageSessions } from "../page-session";

/** What the page routes are handed by createApp. */
export type PageDeps = {
  db: Db;
  clock: Clock;
  config: Config;
  index: OncallIndex;
  authenticator: Authenticator;
  notify: (event: SwapEvent) => void;
  serviceContext: (c: Context<AppEnv>) => ServiceContext;
  sessions: PageSessions;
  forms: PageForms;
};
