import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { DateTime } from "luxon";
import type { Queryable } from "../db/open";
import { findMember } from "../db/org-store";
import { currentGeneration } from "../db/token-store";
import { lookupToken, serverSecret } from "./tokens";

export const SESSION_COOKIE = "baton_session";
export const SESSION_MAX_AGE_S = 30 * 24 * 3600;

/**
 * A session is `member.generation.issuedAt.nonce`, signed into a cookie. The
 * personal token's generation is in it so that rotating a member's token (a
 * lost link) also ends every session it opened; the nonce gives each sign-in
 * its own CSRF token.
 */
export type Session = { memberId: string; generation: number; issuedAt: number; value: string };

const SESSION = /^([a-z0-9][a-z0-9_-]{0,62})\.(\d{1,9})\.(\d{1,12})\.([A-Za-z0-9_-]{22})$/;

const mac = (key: string, message: string) => createHmac("sha256", key).update(message).digest("base64url");

/** The cookie-signing key, derived so that it never equals the secret that derives tokens. */
export function sessionKey(db: Queryable): string {
  return mac(serverSecret(db), "baton session cookie v1");
}

/** Opens a session for the owner of a personal token, or null when the token is unknown, revoked or retired. */
export function signIn(db: Queryable, token: string, now: DateTime): Session | null {
  const record = lookupToken(db, token, "personal");
  if (!record?.memberId) return null;
  const member = findMember(db, record.memberId);
  if (!member || member.retired) return null;
  const issuedAt = Math.floor(now.toSeconds());
  const value = `${member.id}.${record.generation}.${issuedAt}.${randomBytes(16).toString("base64url")}`;
  return { memberId: member.id, generation: record.generation, issuedAt, value };
}

/** The session a verified cookie value stands for, while its member, token generation and age still hold. */
export function readSession(db: Queryable, value: string, now: DateTime): Session | null {
  const match = SESSION.exec(value);
  if (!match) return null;
  const session = { memberId: match[1]!, generation: Number(match[2]), issuedAt: Number(match[3]), value };
  if (now.toSeconds() - session.issuedAt > SESSION_MAX_AGE_S) return null;
  if (currentGeneration(db, "personal", session.memberId) !== session.generation) return null;
  const member = findMember(db, session.memberId);
  return member && !member.retired ? session : null;
}

/**
 * An admin's page session: `~admin.binding.issuedAt.nonce`. The binding is a
 * MAC of the admin token in force at sign-in (the configured one, or the
 * generated one's generation), so changing or rotating it ends every admin
 * session; `~` cannot begin a member id.
 */
export type AdminSession = { admin: true; binding: string; issuedAt: number; value: string };

const ADMIN_SESSION = /^~admin\.([A-Za-z0-9_-]{22})\.(\d{1,12})\.([A-Za-z0-9_-]{22})$/;

function adminBinding(db: Queryable, configuredAdminToken: string | undefined): string | null {
  const generation = configuredAdminToken === undefined ? currentGeneration(db, "admin", null) : null;
  if (configuredAdminToken === undefined && generation === null) return null;
  const subject = configuredAdminToken === undefined ? `generated\n${generation}` : `configured\n${configuredAdminToken}`;
  return mac(sessionKey(db), `admin session\n${subject}`).slice(0, 22);
}

/** Opens an admin session; the caller has checked that the token given is the admin token. */
export function signInAdmin(db: Queryable, configuredAdminToken: string | undefined, now: DateTime): AdminSession | null {
  const binding = adminBinding(db, configuredAdminToken);
  if (binding === null) return null;
  const issuedAt = Math.floor(now.toSeconds());
  return { admin: true, binding, issuedAt, value: `~admin.${binding}.${issuedAt}.${randomBytes(16).toString("base64url")}` };
}

export function readAdminSession(db: Queryable, value: string, now: DateTime, configuredAdminToken: string | undefined): AdminSession | null {
  const match = ADMIN_SESSION.exec(value);
  if (!match) return null;
  const session: AdminSession = { admin: true, binding: match[1]!, issuedAt: Number(match[2]), value };
  if (now.toSeconds() - session.issuedAt > SESSION_MAX_AGE_S) return null;
  return adminBinding(db, configuredAdminToken) === session.binding ? session : null;
}

/** The per-session token every form carries in a hidden field. */
export function csrfToken(db: Queryable, session: Pick<Session, "value">): string {
  return mac(sessionKey(db), `csrf\n${session.value}`);
}

export function csrfTokenMatches(db: Queryable, session: Pick<Session, "value">, given: string): boolean {
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(csrfToken(db, session)), digest(given));
}
