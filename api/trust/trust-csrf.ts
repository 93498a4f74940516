import { randomBytes } from 'node:crypto';
import { doubleCsrf } from 'csrf-csrf';
import type { Request, RequestHandler, Response } from 'express';
import type { Config } from '../../shared/config/config.schema.ts';
import type { Logger } from '../../shared/logger.ts';

export interface TrustCsrf {
  /** Sets the paired cookies and returns the token for a form's hidden `_csrf` field. */
  token(req: Request, res: Response): string;
  /** 403 (`EBADCSRFTOKEN`) unless the `_csrf` field matches the cookie and our HMAC. */
  protect: RequestHandler;
}

/**
 * Double-submit CSRF for the public trust pages (report confirmation, /reporters), like the report
 * form's (api/webform/report-csrf.ts) but with cookies of their own, so the two never overwrite
 * each other's. Visitors have no session; a random id cookie is what the token is bound to.
 */
export function trustCsrf(config: Config, log: Logger): TrustCsrf {
  let secret = config.SESSION_SECRET;
  if (!secret) {
    secret = randomBytes(32).toString('hex');
    if (config.NODE_ENV === 'production') log.warn('SESSION_SECRET is not set: confirmation-page tokens do not span instances');
  }
  const secure = config.PUBLIC_URL?.startsWith('https:') ?? false;
  const idCookie = secure ? '__Host-ai_trust_id' : 'ai_trust_id';
  const cookieOptions = { sameSite: 'strict' as const, path: '/', secure, httpOnly: true };
  const { generateCsrfToken, doubleCsrfProtection } = doubleCsrf({
    getSecret: () => secret,
    getSessionIdentifier: (req) => (req.cookies as Record<string, string> | undefined)?.[idCookie] ?? '',
    cookieName: secure ? '__Host-ai_trust_csrf' : 'ai_trust_csrf',
    cookieOptions,
    getCsrfTokenFromRequest: (req) => (req.body as Record<string, unknown> | undefined)?._csrf as string | undefined,
    errorConfig: { statusCode: 403, message: 'the form expired or did not come from this site; reload it and try again' },
  });
  return {
    token(req, res) {
      const cookies = (req.cookies ??= {}) as Record<string, string>;
      if (!/^[0-9a-f]{32}$/.test(cookies[idCookie] ?? '')) {
        cookies[idCookie] = randomBytes(16).toString('hex');
        res.cookie(idCookie, cookies[idCookie], cookieOptions);
      }
      return generateCsrfToken(req, res);
    },
    protect: doubleCsrfProtection,
  };
}
