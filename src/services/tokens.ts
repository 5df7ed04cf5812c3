import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Actor } from "../db/audit";
import type { Db } from "../db/open";
import { findMember } from "../db/org-store";
import type { ServerSecret } from "../db/secret";
import { findActiveToken, insertToken, latestGeneration, revokeTokens, sealedTokens, type TokenKind, type TokenRecord } from "../db/token-store";

const PREFIX: Record<TokenKind, string> = { personal: "bt_p_", calendar: "bt_c_", "team-calendar": "bt_t_", admin: "bt_a_", session: "bt_s_" };

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** 256 random bits: nothing stored anywhere derives it. */
export function newToken(kind: TokenKind): string {
  return PREFIX[kind] + randomBytes(32).toString("base64url");
}

// AES-256-GCM under a key from the server secret: the sealed copy is useless without the key file or BATON_SECRET.
function seal(secret: ServerSecret, token: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", secret.keyFor("token seal"), iv);
  const body = Buffer.concat([cipher.update(token, "utf8"), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
}

/** The token a sealed copy holds, or null when it was sealed under another key (a restored backup, a lost key file). */
function unseal(secret: ServerSecret, sealed: string): string | null {
  try {
    const bytes = Buffer.from(sealed, "base64url");
    const decipher = createDecipheriv("aes-256-gcm", secret.keyFor("token seal"), bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}

/** Where tokens are written: a database or a transaction on it, and the secret that seals them. */
export type TokenWrite = { tx: Db; secret: ServerSecret };

async function issueIn(w: TokenWrite, kind: TokenKind, subject: string | null): Promise<string> {
  for (const sealed of await sealedTokens(w.tx, kind, subject)) {
    const token = unseal(w.secret, sealed);
    if (token !== null) return token;
  }
  // None that can be shown again: a new one beside any older ones (which keep working until rotated).
  const token = newToken(kind);
  await insertToken(w.tx, { kind, subject, generation: await latestGeneration(w.tx, kind, subject) + 1, hash: hashToken(token), sealed: seal(w.secret, token) });
  return token;
}

/** The subject's current token of a kind, issuing the first one when there is none. */
export function issueToken(db: Db, kind: TokenKind, subject: string | null): Promise<string> {
  return db.transact((tx) => issueIn({ tx, secret: db.secret }, kind, subject));
}

/** Revokes the subject's tokens of a kind and issues a new one, inside the caller's transaction. */
export async function rotateToken(w: TokenWrite, kind: TokenKind, subject: string | null, at: string): Promise<string> {
  await revokeTokens(w.tx, kind, subject, at);
  return issueIn(w, kind, subject);
}

/** The subject's current token of a kind, or null when none can be shown: for reads, which never write. */
export async function currentToken(db: Db, kind: TokenKind, subject: string | null): Promise<string | null> {
  for (const sealed of await sealedTokens(db, kind, subject)) {
    const token = unseal(db.secret, sealed);
    if (token !== null) return token;
  }
  return null;
}

/**
 * Issues the feed links every active member and team needs and lacks, on
 * write paths (an import, the start of the server), so that reading a link
 * never has to write one.
 */
export async function ensureFeedTokens(w: TokenWrite, memberIds: readonly string[], teamIds: readonly string[]): Promise<void> {
  for (const id of memberIds) await issueIn(w, "calendar", id);
  for (const id of teamIds) await issueIn(w, "team-calendar", id);
}

export async function lookupToken(db: Db, token: string, kind: TokenKind): Promise<TokenRecord | null> {
  if (!token.startsWith(PREFIX[kind])) return null;
  const record = await findActiveToken(db, hashToken(token));
  return record && record.kind === kind ? record : null;
}

const ADMIN: Actor = { kind: "admin" };

/**
 * Resolves bearer tokens to who they belong to: the configured admin token,
 * the generated admin token (when none is configured), or a member's personal
 * token. Answers are remembered per token, since every API request asks and a
 * hash per request costs more than the on-call lookup itself; any write that
 * could revoke a token or retire a member must call `forget()`.
 */
export class Authenticator {
  private readonly known = new Map<string, Actor | null>();
  /** Bumped by every `forget`: a lookup that ran across one is answered but not remembered. */
  private generation = 0;
  private readonly adminHash: Buffer | null;

  constructor(
    private readonly db: Db,
    configuredAdminToken: string | undefined,
  ) {
    this.adminHash = configuredAdminToken === undefined ? null : createHash("sha256").update(configuredAdminToken).digest();
  }

  forget(): void {
    this.generation++;
    this.known.clear();
  }

  /**
   * What `actorFor` answers when it needs no database: the remembered actor
   * (null for a token known to be bad), or undefined when the token must be looked up.
   */
  knownActor(token: string): Actor | null | undefined {
    return this.known.get(token);
  }

  async actorFor(token: string): Promise<Actor | null> {
    const known = this.known.get(token);
    if (known !== undefined) return known;
    const since = this.generation;
    const actor = await this.resolve(token);
    // A token revoked while it was being looked up must not be remembered as good.
    if (since !== this.generation) return actor;
    // Bounded, so that a flood of made-up tokens cannot grow it without end.
    if (this.known.size >= 10_000) this.known.clear();
    this.known.set(token, actor);
    return actor;
  }

  private async resolve(token: string): Promise<Actor | null> {
    if (this.adminHash && timingSafeEqual(createHash("sha256").update(token).digest(), this.adminHash)) return ADMIN;
    if (!this.adminHash && await lookupToken(this.db, token, "admin")) return ADMIN;
    const personal = await lookupToken(this.db, token, "personal");
    if (!personal?.memberId) return null;
    const member = await findMember(this.db, personal.memberId);
    return member && !member.retired ? { kind: "member", memberId: member.id } : null;
  }
}
