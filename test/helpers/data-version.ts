import Database from "better-sqlite3";
import pg from "pg";
import { CHANGES_CHANNEL, isPostgresUrl } from "../../src/db/open";
import { cleanUp } from "./database";

/**
 * How many write transactions the app has committed. On SQLite, PRAGMA
 * data_version from a second connection (SQLite moves it for commits made by
 * other connections only); on PostgreSQL, the commit announcements every
 * write transaction makes, heard on a connection of the test's own.
 */
export async function commitCounter(path: string): Promise<() => Promise<number>> {
  if (!isPostgresUrl(path)) {
    const watcher = new Database(path, { readonly: true });
    cleanUp(() => watcher.close());
    const read = watcher.prepare("PRAGMA data_version").pluck();
    return async () => read.get() as number;
  }
  const listener = new pg.Client({ connectionString: path });
  await listener.connect();
  let heard = 0;
  listener.on("notification", () => heard++);
  await listener.query(`LISTEN ${CHANGES_CHANNEL}`);
  cleanUp(() => listener.end());
  // A round trip on the listening connection: any announcement sent before it has arrived after it.
  return async () => (await listener.query("SELECT 1"), heard);
}
