import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Actor } from "../db/audit";
import type { Queryable } from "../db/open";
import { findMember } from "../db/org-store";
import {
  currentGeneration,
  ensureSetting,
  findActiveToken,
  insertToken,
  latestGeneration,
  revokeTokens,
  type TokenKind,
  type TokenRecord,
} from "../db/token-store";

const PREFIX: Record<TokenKind, string> = { personal: "bt_p_", calendar: "bt_c_", "team-calendar": "bt_t_", admin: "bt_a_" };

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** The server secret, made on first start: it signs session cookies and derives tokens. */
export function serverSecret(db: Queryable): string {
  return ensureSetting(db, "secret", () => randomBytes(32).toString("hex"));
}

/**
 * Tokens are derived from the server secret, the subject and a generation, so
 * a link can be shown again without keeping the token itself: only its hash is
 * stored, and rotating bumps the generation and revokes the old hash. 256 bits.
 */
function deriveToken(secret: string, kind: TokenKind, subject: string | null, generation: number): string {
  const mac = createHmac("sha256", secret).update(`${kind}\n${subject ?? ""}\n${generation}`).digest("base64url");
  return PREFIX[kind] + mac;
}

/** The subject's current token of a kind, issuing the first one when there is none. */
export function issueToken(db: Queryable, kind: TokenKind, subject: string | null): string {
  const secret = serverSecret(db);
  const current = currentGeneration(db, kind, subject);
  if (current !== null) return deriveToken(secret, kind, subject, current);
  const generation = latestGeneration(db, kind, subject) + 1;
  const token = deriveToken(secret, kind, subject, generation);
  insertToken(db, kind, subject, generation, hashToken(token));
  return token;
}

/** The subject's current token of a kind, or null when none was issued: for reads, which never write. */
export function currentToken(db: Queryable, kind: TokenKind, subject: string | null): string | null {
  const current = currentGeneration(db, kind, subject);
  return current === null ? null : deriveToken(serverSecret(db), kind, subject, current);
}

/**
 * Issues the feed links every active member and team needs and lacks, on
 * write paths (an import, the start of the server), so that reading a link
 * never has to write one.
 */
export function ensureFeedTokens(db: Queryable, memberIds: readonly string[], teamIds: readonly string[]): void {
  for (const id of memberIds) issueToken(db, "calendar", id);
  for (const id of teamIds) issueToken(db, "team-calendar", id);
}

/** Revokes the subject's token of a kind and issues a new one. */
export function rotateToken(db: Queryable, kind: TokenKind, subject: string | null, at: string): string {
  revokeTokens(db, kind, subject, at);
  return issueToken(db, kind, subject);
}

export function lookupToken(db: Queryable, token: string, kind: TokenKind): TokenRecord | null {
  if (!token.startsWith(PREFIX[kind])) return null;
  const record = findActiveToken(db, hashToken(token));
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
  private readonly adminHash: Buffer | null;

  constructor(
    private readonly db: Queryable,
    configuredAdminToken: string | undefined,
  ) {
    this.adminHash = configuredAdminToken === undefined ? null : createHash("sha256").update(configuredAdminToken).digest();
  }

  forget(): void {
    this.known.clear();
  }

  actorFor(token: string): Actor | null {
    const known = this.known.get(token);
    if (known !== undefined) return known;
    const actor = this.resolve(token);
    // Bounded, so that a flood of made-up tokens cannot grow it without end.
    if (this.known.size >= 10_000) this.known.clear();
    this.known.set(token, actor);
    return actor;
  }

  private resolve(token: string): Actor | null {
    if (this.adminHash && timingSafeEqual(createHash("sha256").update(token).digest(), this.adminHash)) return ADMIN;
    if (!this.adminHash && lookupToken(this.db, token, "admin")) return ADMIN;
    const personal = lookupToken(this.db, token, "personal");
    if (!personal?.memberId) return null;
    const member = findMember(this.db, personal.memberId);
    return member && !member.retired ? { kind: "member", memberId: member.id } : null;
  }
}
