import type { Actor } from "../db/audit";

export type AppEnv = {
  Variables: {
    requestId: string;
    /** The matched route pattern, for metrics and logs. */
    route: string;
    actor: Actor;
  };
};
