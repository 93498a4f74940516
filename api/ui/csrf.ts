import { doubleCsrf } from 'csrf-csrf';
import type { RequestHandler } from 'express';
import type { ApiContext } from '../context.ts';
import { sessionKit } from './session.ts';

export interface CsrfKit {
  /** Token for a form's hidden `_csrf` field (also sets the paired cookie). */
  token: (req: Parameters<RequestHandler>[0], res: Parameters<RequestHandler>[1]) => string;
  /** Rejects POST/PUT/PATCH/DELETE without a valid token (403). */
  protect: RequestHandler;
}

const kits = new WeakMap<ApiContext, CsrfKit>();

/**
 * Double-submit CSRF tokens (csrf-csrf) bound to the session id, so a token from one session is
 * useless in another. Every state-changing UI form carries `_csrf`, including login and logout.
 */
export function csrfKit(ctx: ApiContext): CsrfKit {
  const existing = kits.get(ctx);
  if (existing) return existing;
  const { secret, secureCookies } = sessionKit(ctx);
  const { generateCsrfToken, doubleCsrfProtection } = doubleCsrf({
    getSecret: () => secret,
    getSessionIdentifier: (req) => req.session?.id ?? '',
    cookieName: secureCookies ? '__Host-ai_csrf' : 'ai_csrf',
    cookieOptions: { sameSite: 'strict', path: '/', secure: secureCookies, httpOnly: true },
    getCsrfTokenFromRequest: (req) => (req.body as Record<string, unknown> | undefined)?._csrf as string | undefined,
    errorConfig: { statusCode: 403, message: 'the form expired or did not come from this site; reload and try again' },
  });
  const kit: CsrfKit = {
    token: (req, res) => generateCsrfToken(req, res),
    protect: doubleCsrfProtection,
  };
  kits.set(ctx, kit);
  return kit;
}
