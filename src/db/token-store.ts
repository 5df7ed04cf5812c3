import { and, desc, eq, isNotNull, isNull, lt, or } from "drizzle-orm";
import { tablesOf, type Db } from "./open";
import type * as Tables from "./schema";

export type TokenKind = "personal" | "calendar" | "team-calendar" | "admin" | "session";
export type TokenRecord = { kind: TokenKind; memberId: string | null; teamId: string | null; generation: number; createdAt: string };

/** Where the server last said it serves, so that the CLI prints links that open. */
export async function recordedServerUrl(db: Db): Promise<string | null> {
  const { settings } = tablesOf(db);
  return (await db.select().from(settings).where(eq(settings.key, "server-url")).limit(1))[0]?.value ?? null;
}

export async function recordServerUrl(db: Db, url: string): Promise<void> {
  const { settings } = tablesOf(db);
  await db.insert(settings).values({ key: "server-url", value: url }).onConflictDoUpdate({ target: settings.key, set: { value: url } });
}

export async function findActiveToken(db: Db, hash: string): Promise<TokenRecord | null> {
  const { tokens } = tablesOf(db);
  const row = (await db.select().from(tokens).where(and(eq(tokens.hash, hash), isNull(tokens.revokedAt))).limit(1))[0];
  return row ? { kind: row.kind as TokenKind, memberId: row.memberId, teamId: row.teamId, generation: row.generation, createdAt: row.createdAt } : null;
}

function subjectFilter(tokens: typeof Tables.tokens, kind: TokenKind, subject: string | null) {
  const column = kind === "team-calendar" ? tokens.teamId : tokens.memberId;
  return subject === null ? and(eq(tokens.kind, kind), isNull(column)) : and(eq(tokens.kind, kind), eq(column, subject));
}

/** The newest unrevoked generation of a subject's token of a kind, if any. */
export async function currentGeneration(db: Db, kind: TokenKind, subject: string | null): Promise<number | null> {
  const { tokens } = tablesOf(db);
  const row = (await db
    .select({ generation: tokens.generation })
    .from(tokens)
    .where(and(subjectFilter(tokens, kind, subject), isNull(tokens.revokedAt)))
    .orderBy(desc(tokens.generation))
    .limit(1))[0];
  return row?.generation ?? null;
}

/** The sealed copies of a subject's unrevoked tokens of a kind, newest first. */
export async function sealedTokens(db: Db, kind: TokenKind, subject: string | null): Promise<string[]> {
  const { tokens } = tablesOf(db);
  return (await db
    .select({ sealed: tokens.sealed })
    .from(tokens)
    .where(and(subjectFilter(tokens, kind, subject), isNull(tokens.revokedAt), isNotNull(tokens.sealed)))
    .orderBy(desc(tokens.generation))
    )
    .map((r) => r.sealed!);
}

export async function latestGeneration(db: Db, kind: TokenKind, subject: string | null): Promise<number> {
  const { tokens } = tablesOf(db);
  const row = (await db.select({ generation: tokens.generation }).from(tokens).where(subjectFilter(tokens, kind, subject)).orderBy(desc(tokens.generation)).limit(1))[0];
  return row?.generation ?? 0;
}

export async function insertToken(
  db: Db,
  token: { kind: TokenKind; subject: string | null; generation: number; hash: string; sealed: string | null; createdAt?: string },
): Promise<void> {
  const { tokens } = tablesOf(db);
  const { kind, subject } = token;
  await db.insert(tokens)
    .values({
      kind,
      memberId: kind === "team-calendar" ? null : subject,
      teamId: kind === "team-calendar" ? subject : null,
      generation: token.generation,
      hash: token.hash,
      sealed: token.sealed,
      ...(token.createdAt !== undefined ? { createdAt: token.createdAt } : {}),
    });
}

export async function revokeTokens(db: Db, kind: TokenKind, subject: string | null, at: string): Promise<void> {
  const { tokens } = tablesOf(db);
  await db.update(tokens).set({ revokedAt: at }).where(and(subjectFilter(tokens, kind, subject), isNull(tokens.revokedAt)));
}

export async function revokeTokenByHash(db: Db, hash: string, at: string): Promise<void> {
  const { tokens } = tablesOf(db);
  await db.update(tokens).set({ revokedAt: at }).where(and(eq(tokens.hash, hash), isNull(tokens.revokedAt)));
}

/** Deletes sessions opened before `cutoff`: they have expired, and no link or feed ever names them. */
export async function forgetSessionsBefore(db: Db, cutoff: string): Promise<void> {
  const { tokens } = tablesOf(db);
  await db.delete(tokens).where(and(eq(tokens.kind, "session"), lt(tokens.createdAt, cutoff)));
}

/** Ends every credential of a retired member (sign-in, sessions, feed) or team (feed). */
export async function revokeAllOf(db: Db, subject: { memberId?: string; teamId?: string }, at: string): Promise<void> {
  const { tokens } = tablesOf(db);
  const whose = or(
    subject.memberId !== undefined ? eq(tokens.memberId, subject.memberId) : undefined,
    subject.teamId !== undefined ? eq(tokens.teamId, subject.teamId) : undefined,
  );
  await db.update(tokens).set({ revokedAt: at }).where(and(whose, isNull(tokens.revokedAt)));
}
