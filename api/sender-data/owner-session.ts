import type { Request, RequestHandler, Response } from 'express';
import type { ApiContext } from '../context.ts';
import { OWNER_SESSION_MS, ownerBySession, type Owner } from '../../shared/sender-data/owners-store.ts';

/**
 * The owner's session: a random token in an httpOnly cookie, its SHA-256 in `sender_owner_sessions`
 * (Postgres, so every api process knows it and signing out ends it everywhere). Separate from the
 * analyst session (`ai_sid`): an owner is not a user of the UI, and neither cookie opens the other.
 * SameSite=Lax so following a link to /sender/data from a mail keeps the owner signed in; every
 * state change is a POST with the visitor CSRF token.
 */
export function ownerCookieName(ctx: ApiContext): string {
  return ctx.config.PUBLIC_URL?.startsWith('https:') ? '__Host-ai_owner' : 'ai_owner';
}

export function setOwnerCookie(ctx: ApiContext, res: Response, token: string): void {
  const secure = ctx.config.PUBLIC_URL?.startsWith('https:') ?? false;
  res.cookie(ownerCookieName(ctx), token, { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: OWNER_SESSION_MS });
}

export function clearOwnerCookie(ctx: ApiContext, res: Response): void {
  res.clearCookie(ownerCookieName(ctx), { path: '/' });
}

export const ownerToken = (ctx: ApiContext, req: Request): string => String((req.cookies as Record<string, string> | undefined)?.[ownerCookieName(ctx)] ?? '');

/** Sets `res.locals.owner` (or null). Needs cookieParser. */
export function withOwner(ctx: ApiContext): RequestHandler {
  return (req, res, next) => {
    const token = ownerToken(ctx, req);
    if (!token) {
      res.locals.owner = null;
      return next();
    }
    ownerBySession(ctx.ds.manager, token, new Date()).then((owner) => {
      res.locals.owner = owner;
      next();
    }, next);
  };
}

export const currentOwner = (res: Response): Owner | null => (res.locals.owner as Owner | null | undefined) ?? null;
