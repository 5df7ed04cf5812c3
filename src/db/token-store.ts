import { and, desc, eq, isNotNull, isNull, lt, or } from "drizzle-orm";
import type { Queryable } from "./open";
import { settings, tokens } from "./schema";

export type TokenKind = "personal" | "calendar" | "team-calendar" | "admin" | "session";
export type TokenRecord = { kind: TokenKind; memberId: string | null; teamId: string | null; generation: number; createdAt: string };

/** Where the server last said it serves, so that the CLI prints links that open. */
export function recordedServerUrl(db: Queryable): string | null {
  return db.select().from(settings).where(eq(settings.key, "server-url")).get()?.value ?? null;
}

export function recordServerUrl(db: Queryable, url: string): void {
  db.insert(settings).values({ key: "server-url", value: url }).onConflictDoUpdate({ target: settings.key, set: { value: url } }).run();
}

export function findActiveToken(db: Queryable, hash: string): TokenRecord | null {
  const row = db.select().from(tokens).where(and(eq(tokens.hash, hash), isNull(tokens.revokedAt))).get();
  return row ? { kind: row.kind as TokenKind, memberId: row.memberId, teamId: row.teamId, generation: row.generation, createdAt: row.createdAt } : null;
}

function subjectFilter(kind: TokenKind, subject: string | null) {
  const column = kind === "team-calendar" ? tokens.teamId : tokens.memberId;
  return subject === null ? and(eq(tokens.kind, kind), isNull(column)) : and(eq(tokens.kind, kind), eq(column, subject));
}

/** The newest unrevoked generation of a subject's token of a kind, if any. */
export function currentGeneration(db: Queryable, kind: TokenKind, subject: string | null): number | null {
  const row = db
    .select({ generation: tokens.generation })
    .from(tokens)
    .where(and(subjectFilter(kind, subject), isNull(tokens.revokedAt)))
    .orderBy(desc(tokens.generation))
    .get();
  return row?.generation ?? null;
}

/** The sealed copies of a subject's unrevoked tokens of a kind, newest first. */
export function sealedTokens(db: Queryable, kind: TokenKind, subject: string | null): string[] {
  return db
    .select({ sealed: tokens.sealed })
    .from(tokens)
    .where(and(subjectFilter(kind, subject), isNull(tokens.revokedAt), isNotNull(tokens.sealed)))
    .orderBy(desc(tokens.generation))
    .all()
    .map((r) => r.sealed!);
}

export function latestGeneration(db: Queryable, kind: TokenKind, subject: string | null): number {
  const row = db.select({ generation: tokens.generation }).from(tokens).where(subjectFilter(kind, subject)).orderBy(desc(tokens.generation)).get();
  return row?.generation ?? 0;
}

export function insertToken(
  db: Queryable,
  token: { kind: TokenKind; subject: string | null; generation: number; hash: string; sealed: string | null; createdAt?: string },
): void {
  const { kind, subject } = token;
  db.insert(tokens)
    .values({
      kind,
      memberId: kind === "team-calendar" ? null : subject,
      teamId: kind === "team-calendar" ? subject : null,
      generation: token.generation,
      hash: token.hash,
      sealed: token.sealed,
      ...(token.createdAt !== undefined ? { createdAt: token.createdAt } : {}),
    })
    .run();
}

export function revokeTokens(db: Queryable, kind: TokenKind, subject: string | null, at: string): void {
  db.update(tokens).set({ revokedAt: at }).where(and(subjectFilter(kind, subject), isNull(tokens.revokedAt))).run();
}

export function revokeTokenByHash(db: Queryable, hash: string, at: string): void {
  db.update(tokens).set({ revokedAt: at }).where(and(eq(tokens.hash, hash), isNull(tokens.revokedAt))).run();
}

/** Deletes sessions opened before `cutoff`: they have expired, and no link or feed ever names them. */
export function forgetSessionsBefore(db: Queryable, cutoff: string): void {
  db.delete(tokens).where(and(eq(tokens.kind, "session"), lt(tokens.createdAt, cutoff))).run();
}

/** Ends every credential of a retired member (sign-in, sessions, feed) or team (feed). */
export function revokeAllOf(db: Queryable, subject: { memberId?: string; teamId?: string }, at: string): void {
  const whose = or(
    subject.memberId !== undefined ? eq(tokens.memberId, subject.memberId) : undefined,
    subject.teamId !== undefined ? eq(tokens.teamId, subject.teamId) : undefined,
  );
  db.update(tokens).set({ revokedAt: at }).where(and(whose, isNull(tokens.revokedAt))).run();
}
