import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { UserRole } from '../../shared/users/users.ts';
import type { ApiContext } from '../context.ts';
import { sessionKit } from './session.ts';

/** Runs the shared session middleware, then continues. */
export function withSession(ctx: ApiContext): RequestHandler {
  return sessionKit(ctx).middleware;
}

/**
 * Pages need a signed-in user: anonymous GETs are redirected to /login (and come back after),
 * anything else gets 401; a user without the role gets 403.
 */
export function requireUser(...roles: UserRole[]): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const user = req.session?.user;
    if (!user) {
      if (req.method === 'GET' || req.method === 'HEAD') {
        res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
      } else {
        res.status(401).type('text/plain').send('sign in first');
      }
      return;
    }
    if (roles.length && !roles.includes(user.role)) {
      res.status(403).type('text/plain').send(`this page needs role ${roles.join(' or ')}`);
      return;
    }
    next();
  };
}

/**
 * For third-party pages we cannot add CSRF tokens to (Bull Board's JSON actions): a state-changing
 * request must come from our own origin (Sec-Fetch-Site / Origin), on top of the SameSite cookie.
 */
export function sameOriginWrites(req: Request, res: Response, next: NextFunction): void {
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
  const site = req.get('sec-fetch-site');
  const origin = req.get('origin');
  const ok = site ? site === 'same-origin' : !!origin && new URL(origin).host === req.get('host');
  if (!ok) {
    res.status(403).type('text/plain').send('cross-site request refused');
    return;
  }
  next();
}
