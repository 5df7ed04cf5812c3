import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { DateTime } from "luxon";
import { audit } from "../db/audit";
import type { Db } from "../db/open";
import { findMember } from "../db/org-store";
import { currentGeneration, forgetSessionsBefore, insertToken, revokeTokenByHash, revokeTokens } from "../db/token-store";
import { notFound } from "../domain/errors";
import { toIsoZ } from "../domain/time";
import { inTransaction, requireSelfOrAdmin, type ServiceContext } from "./context";
import { hashToken, lookupToken, newToken, rotateToken } from "./tokens";

export const SESSION_COOKIE = "baton_session";
export const SESSION_MAX_AGE_S = 30 * 24 * 3600;

/**
 * A session is a random token in a signed cookie, stored (as a hash) on the
 * server, so that signing out, rotating the member's sign-in link and
 * retiring the member each end it there, whatever the browser still holds.
 * Each sign-in is its own session, with its own CSRF token.
 */
export type Session = { memberId: string; value: string };

const mac = (key: string, message: string) => createHmac("sha256", key).update(message).digest("base64url");

/** The cookie-signing key, from the server secret outside the database. */
export function sessionKey(db: Db): string {
  return db.secret.keyFor("session cookie").toString("base64url");
}

/** Opens a session for the owner of a personal token, or null when the token is unknown, revoked or retired. */
export async function signIn(db: Db, token: string, now: DateTime): Promise<Session | null> {
  const record = await lookupToken(db, token, "personal");
  if (!record?.memberId) return null;
  const member = await findMember(db, record.memberId);
  if (!member || member.retired) return null;
  const value = newToken("session");
  await db.transact(async (tx) => {
        await forgetSessionsBefore(tx, toIsoZ(now.minus({ seconds: SESSION_MAX_AGE_S })));
        await insertToken(tx, { kind: "session", subject: member.id, generation: 0, hash: hashToken(value), sealed: null, createdAt: toIsoZ(now) });
      });
  return { memberId: member.id, value };
}

/** The session a cookie value stands for, while it is open on the server, young enough, and its member active. */
export async function readSession(db: Db, value: string, now: DateTime): Promise<Session | null> {
  const record = await lookupToken(db, value, "session");
  if (!record?.memberId) return null;
  if (now.toSeconds() - Date.parse(record.createdAt) / 1000 > SESSION_MAX_AGE_S) return null;
  const member = await findMember(db, record.memberId);
  return member && !member.retired ? { memberId: member.id, value } : null;
}

/** Ends one session on the server. */
export async function signOut(db: Db, session: Session, now: DateTime): Promise<void> {
  await db.transact((tx) => revokeTokenByHash(tx, hashToken(session.value), toIsoZ(now)));
}

export type SignInLink = { member: string; login: string };

/** Reissues a member's personal sign-in link: the old link, and every session it opened, end now. */
export async function rotateSignIn(ctx: ServiceContext, memberId: string): Promise<SignInLink> {
  requireSelfOrAdmin(ctx, memberId);
  const member = await findMember(ctx.db, memberId);
  if (!member || member.retired) throw notFound(`member ${memberId}`);
  const token = await inTransaction(ctx, async (w) => {
      await revokeTokens(w.tx, "session", memberId, w.at);
      const fresh = await rotateToken({ tx: w.tx, secret: ctx.db.secret }, "personal", memberId, w.at);
      await audit(w, { action: "token.rotate", entity: "member", entityId: memberId });
      return fresh;
    });
  ctx.changed({ members: [memberId] });
  return { member: memberId, login: `${ctx.config.publicUrl}/login/${token}` };
}

/**
 * An admin's page session: `~admin.binding.issuedAt.nonce`. The binding is a
 * MAC of the admin token in force at sign-in (the configured one, or the
 * generated one's generation), so changing or rotating it ends every admin
 * session; `~` cannot begin a member id.
 */
export type AdminSession = { admin: true; binding: string; issuedAt: number; value: string };

const ADMIN_SESSION = /^~admin\.([A-Za-z0-9_-]{22})\.(\d{1,12})\.([A-Za-z0-9_-]{22})$/;

async function adminBinding(db: Db, configuredAdminToken: string | undefined): Promise<string | null> {
  const generation = configuredAdminToken === undefined ? await currentGeneration(db, "admin", null) : null;
  if (configuredAdminToken === undefined && generation === null) return null;
  const subject = configuredAdminToken === undefined ? `generated\n${generation}` : `configured\n${configuredAdminToken}`;
  return mac(sessionKey(db), `admin session\n${subject}`).slice(0, 22);
}

/** Opens an admin session; the caller has checked that the token given is the admin token. */
export async function signInAdmin(db: Db, configuredAdminToken: string | undefined, now: DateTime): Promise<AdminSession | null> {
  const binding = await adminBinding(db, configuredAdminToken);
  if (binding === null) return null;
  const issuedAt = Math.floor(now.toSeconds());
  return { admin: true, binding, issuedAt, value: `~admin.${binding}.${issuedAt}.${randomBytes(16).toString("base64url")}` };
}

export async function readAdminSession(db: Db, value: string, now: DateTime, configuredAdminToken: string | undefined): Promise<AdminSession | null> {
  const match = ADMIN_SESSION.exec(value);
  if (!match) return null;
  const session: AdminSession = { admin: true, binding: match[1]!, issuedAt: Number(match[2]), value };
  if (now.toSeconds() - session.issuedAt > SESSION_MAX_AGE_S) return null;
  return await adminBinding(db, configuredAdminToken) === session.binding ? session : null;
}

/** The per-session token every form carries in a hidden field. */
export function csrfToken(db: Db, session: Pick<Session, "value">): string {
  return createHmac("sha256", db.secret.keyFor("csrf")).update(session.value).digest("base64url");
}

export function csrfTokenMatches(db: Db, session: Pick<Session, "value">, given: string): boolean {
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(csrfToken(db, session)), digest(given));
}
