import { and, desc, eq, isNull } from "drizzle-orm";
import type { Queryable } from "./open";
import { settings, tokens } from "./schema";

export type TokenKind = "personal" | "calendar" | "team-calendar" | "admin";
export type TokenRecord = { kind: TokenKind; memberId: string | null; teamId: string | null; generation: number };

export function getSetting(db: Queryable, key: string): string | null {
  return db.select().from(settings).where(eq(settings.key, key)).get()?.value ?? null;
}

/** Stores a setting only if it is not there yet; answers the value that is. */
export function ensureSetting(db: Queryable, key: string, create: () => string): string {
  db.insert(settings).values({ key, value: create() }).onConflictDoNothing().run();
  return getSetting(db, key)!;
}

export function findActiveToken(db: Queryable, hash: string): TokenRecord | null {
  const row = db.select().from(tokens).where(and(eq(tokens.hash, hash), isNull(tokens.revokedAt))).get();
  return row ? { kind: row.kind as TokenKind, memberId: row.memberId, teamId: row.teamId, generation: row.generation } : null;
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

export function latestGeneration(db: Queryable, kind: TokenKind, subject: string | null): number {
  const row = db.select({ generation: tokens.generation }).from(tokens).where(subjectFilter(kind, subject)).orderBy(desc(tokens.generation)).get();
  return row?.generation ?? 0;
}

export function insertToken(db: Queryable, kind: TokenKind, subject: string | null, generation: number, hash: string): void {
  db.insert(tokens)
    .values({
      kind,
      memberId: kind === "team-calendar" ? null : subject,
      teamId: kind === "team-calendar" ? subject : null,
      generation,
      hash,
    })
    .run();
}

export function revokeTokens(db: Queryable, kind: TokenKind, subject: string | null, at: string): void {
  db.update(tokens).set({ revokedAt: at }).where(and(subjectFilter(kind, subject), isNull(tokens.revokedAt))).run();
}
