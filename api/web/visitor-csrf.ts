import { randomBytes } from 'node:crypto';
import { doubleCsrf } from 'csrf-csrf';
import type { Request, RequestHandler, Response } from 'express';
import type { Config } from '../../shared/config/config.schema.ts';
import type { Logger } from '../../shared/logger.ts';

/** CSRF for a public form whose visitors have no session (report form, trust pages, response page…). */
export interface VisitorCsrf {
  /** Gives the browser its id cookie when new, and returns the token for the form's hidden `_csrf` field. */
  token(req: Request, res: Response): string;
  /** 403 (`EBADCSRFTOKEN`) unless the `_csrf` field matches the cookie and our HMAC. Needs cookieParser. */
  protect: RequestHandler;
  /** Whether the browser sent the form's id cookie (SameSite=Strict: never on a cross-site post). Needs cookieParser. */
  hasCookie(req: Request): boolean;
}

const kits = new WeakMap<Config, Map<string, VisitorCsrf>>();

/**
 * Double-submit CSRF (csrf-csrf) bound to a random per-browser id cookie: creating a session in
 * Redis per page view would let anyone fill Redis. Each form family has cookies of its own (`name`),
 * so two open forms never overwrite each other's. One kit per configuration and name: the page that
 * shows a form and every route that checks it share the secret — SESSION_SECRET, or a random one per
 * process when unset (then a form must be posted back to the process that served it).
 */
export function visitorCsrf(config: Config, log: Logger, name: string): VisitorCsrf {
  let byName = kits.get(config);
  if (!byName) kits.set(config, (byName = new Map()));
  let kit = byName.get(name);
  if (!kit) byName.set(name, (kit = makeKit(config, log, name)));
  return kit;
}

function makeKit(config: Config, log: Logger, name: string): VisitorCsrf {
  let secret = config.SESSION_SECRET;
  if (!secret) {
    secret = randomBytes(32).toString('hex');
    if (config.NODE_ENV === 'production') log.warn({ form: name }, 'SESSION_SECRET is not set: public form tokens do not span instances');
  }
  const secure = config.PUBLIC_URL?.startsWith('https:') ?? false;
  const prefix = secure ? '__Host-' : '';
  const idCookie = `${prefix}ai_${name}_id`;
  const cookieOptions = { sameSite: 'strict' as const, path: '/', secure, httpOnly: true };
  const { generateCsrfToken, doubleCsrfProtection } = doubleCsrf({
    getSecret: () => secret,
    getSessionIdentifier: (req) => (req.cookies as Record<string, string> | undefined)?.[idCookie] ?? '',
    cookieName: `${prefix}ai_${name}_csrf`,
    cookieOptions,
    getCsrfTokenFromRequest: (req) => (req.body as Record<string, unknown> | undefined)?._csrf as string | undefined,
    errorConfig: { statusCode: 403, message: 'the form expired or did not come from this site; reload it and try again' },
  });
  return {
    hasCookie: (req) => typeof (req.cookies as Record<string, string> | undefined)?.[idCookie] === 'string',
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
