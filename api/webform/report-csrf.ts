import { randomBytes } from 'node:crypto';
import { doubleCsrf } from 'csrf-csrf';
import type { Request, RequestHandler, Response } from 'express';
import type { Config } from '../../shared/config/config.schema.ts';
import type { Logger } from '../../shared/logger.ts';

export interface ReportCsrf {
  /** Sets the paired cookies and returns the token for the form's hidden `_csrf` field. */
  token(req: Request, res: Response): string;
  /** 403 (`EBADCSRFTOKEN`) unless the `_csrf` field matches the cookie and our HMAC. */
  protect: RequestHandler;
  /** Whether the browser sent the form's id cookie (SameSite=Strict: never on a cross-site post). Needs cookieParser. */
  hasCookie(req: Request): boolean;
}

/**
 * Double-submit CSRF for the public report form (csrf-csrf). Anonymous visitors have no session,
 * and creating one in Redis per page view would let anyone fill Redis; instead a random
 * `ai_report_id` cookie is the identifier the token is bound to. Signed with SESSION_SECRET
 * (random per process when unset: then a form must be posted back to the process that served it).
 */
const kits = new WeakMap<Config, ReportCsrf>();

export function reportCsrf(config: Config, log: Logger): ReportCsrf {
  // One per configuration: the form (GET /report) and both places that check its token (POST
  // /report, multipart POST /v1/reports) must share the secret, random when SESSION_SECRET is unset.
  const existing = kits.get(config);
  if (existing) return existing;
  const kit = makeReportCsrf(config, log);
  kits.set(config, kit);
  return kit;
}

function makeReportCsrf(config: Config, log: Logger): ReportCsrf {
  let secret = config.SESSION_SECRET;
  if (!secret) {
    secret = randomBytes(32).toString('hex');
    if (config.NODE_ENV === 'production') log.warn('SESSION_SECRET is not set: report-form tokens do not span instances');
  }
  const secure = config.PUBLIC_URL?.startsWith('https:') ?? false;
  const idCookie = secure ? '__Host-ai_report_id' : 'ai_report_id';
  const cookieOptions = { sameSite: 'strict' as const, path: '/', secure, httpOnly: true };
  const { generateCsrfToken, doubleCsrfProtection } = doubleCsrf({
    getSecret: () => secret,
    getSessionIdentifier: (req) => (req.cookies as Record<string, string> | undefined)?.[idCookie] ?? '',
    cookieName: secure ? '__Host-ai_report_csrf' : 'ai_report_csrf',
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
