import Database from "better-sqlite3";
import { afterAll } from "vitest";

/**
 * PRAGMA data_version from a second connection: SQLite moves it for commits
 * made by other connections only, so it counts the app's commits and nothing else.
 */
export function commitCounter(path: string): () => number {
  const watcher = new Database(path, { readonly: true });
  afterAll(() => watcher.close());
  const read = watcher.prepare("PRAGMA data_version").pluck();
  return () => read.get() as number;
}
