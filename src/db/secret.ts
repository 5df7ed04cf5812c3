import { createHmac, randomBytes } from "node:crypto";
import { chmodSync, closeSync, openSync, readFileSync, statSync, writeSync } from "node:fs";

/**
 * The server's secret key: it signs session cookies and seals the copies of
 * tokens that their owners are shown again. It never goes into the database,
 * so a copy of the database file (a backup, a stolen disk) opens nothing.
 * It comes from BATON_SECRET, or from a key file beside the database, made on
 * first start with mode 0600.
 */
export type ServerSecret = {
  /** A key for one purpose, so that no two uses share key material. */
  keyFor(purpose: string): Buffer;
};

function secretFrom(material: Buffer): ServerSecret {
  return { keyFor: (purpose) => createHmac("sha256", material).update(`baton ${purpose}`).digest() };
}

export const keyFilePath = (dbPath: string) => `${dbPath}.key`;

export class SecretError extends Error {}

/** The secret for the database at `dbPath`: the configured one, else its key file, made when missing. */
export function loadServerSecret(dbPath: string, configured?: string): ServerSecret {
  if (configured !== undefined) return secretFrom(Buffer.from(configured, "utf8"));
  // An in-memory database lives as long as the process, and so may its key.
  if (dbPath === ":memory:") return secretFrom(randomBytes(32));
  const path = keyFilePath(dbPath);
  try {
    const fd = openSync(path, "wx", 0o600);
    writeSync(fd, `${randomBytes(32).toString("hex")}\n`);
    closeSync(fd);
    // The mode given to open is reduced by the umask; the file is the key, so make sure.
    chmodSync(path, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw new SecretError(`cannot create the key file ${path}: ${(error as Error).message}`);
  }
  if ((statSync(path).mode & 0o077) !== 0) throw new SecretError(`the key file ${path} is readable by others; run chmod 600 ${path}`);
  const hex = readFileSync(path, "utf8").trim();
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new SecretError(`the key file ${path} is not a Baton key (64 hex digits)`);
  return secretFrom(Buffer.from(hex, "hex"));
}
