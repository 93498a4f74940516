import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { AppError } from '../../shared/errors/app-error.ts';
import type { ApiRole } from '../../shared/db/entities/api-key.entity.ts';
import type { ApiContext } from '../context.ts';
import type { ApiKeyAuthenticator } from '../middleware/require-role.ts';
import { sessionKit } from '../ui/session.ts';

/** Runs a middleware to completion and reports its error, if any. */
function run(mw: RequestHandler, req: Request, res: Response): Promise<void> {
  return new Promise((resolve, reject) => {
    Promise.resolve(mw(req, res, (err?: unknown) => (err ? reject(err) : resolve()))).catch(reject);
  });
}

/**
 * The analyst JSON API accepts an API key (`Authorization: Bearer`) or, for reads only (GET/HEAD),
 * the UI session cookie — so the signed-in UI can fetch JSON for charts. Writes with a session
 * would need CSRF tokens; the API keeps them to keys.
 */
export function analystAccess(ctx: ApiContext, auth: ApiKeyAuthenticator, ...roles: ApiRole[]): RequestHandler {
  const byKey = auth.require(...roles);
  const { middleware: session } = sessionKit(ctx);
  return async (req, res, next: NextFunction) => {
    if (req.get('authorization')) return byKey(req, res, next);
    await run(session, req, res);
    const user = req.session?.user;
    if (!user || (req.method !== 'GET' && req.method !== 'HEAD')) {
      throw new AppError('unauthenticated', 'send an API key as "Authorization: Bearer <key>" (or sign in to the UI for reads)');
    }
    if (!roles.includes(user.role)) throw new AppError('forbidden', `this endpoint needs role ${roles.join(' or ')}; yours is ${user.role}`);
    next();
  };
}
