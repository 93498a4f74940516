import { randomBytes } from 'node:crypto';
import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { doubleCsrf } from 'csrf-csrf';
import { rateLimit } from 'express-rate-limit';
import { RedisStore } from 'rate-limit-redis';
import type { ApiContext } from '../context.ts';
import { addressIdentity, normalizeLogin } from '../../shared/identity/normalize-address.ts';
import { errorPage } from './delist-pages.ts';
import { audit } from './delist-audit.ts';
import { senderLang } from '../sender/sender-page.ts';

const SID_COOKIE = 'delist_sid';

/**
 * CSRF for the public portal: double-submit tokens (csrf-csrf) bound to a random per-browser id
 * cookie, since portal visitors have no session. The secret is SESSION_SECRET (shared by every api
 * process); without it a random one per process, which breaks forms across processes.
 */
export function delistCsrf(ctx: ApiContext) {
  const secret = ctx.config.SESSION_SECRET ?? randomBytes(32).toString('hex');
  if (!ctx.config.SESSION_SECRET) ctx.log.warn('SESSION_SECRET unset: delist portal CSRF tokens only work on this process');
  const secure = (ctx.config.PUBLIC_URL ?? '').startsWith('https:');
  const { generateCsrfToken, doubleCsrfProtection } = doubleCsrf({
    getSecret: () => secret,
    getSessionIdentifier: (req) => String(req.cookies?.[SID_COOKIE] ?? ''),
    cookieName: secure ? '__Host-delist_csrf' : 'delist_csrf',
    cookieOptions: { sameSite: 'strict', path: '/', secure, httpOnly: true },
    getCsrfTokenFromRequest: (req) => (req.body as Record<string, unknown> | undefined)?._csrf as string | undefined,
  });
  /** Gives the browser its id cookie (if new) before a token is made for it. */
  const ensureSid: RequestHandler = (req, res, next) => {
    if (!req.cookies?.[SID_COOKIE]) {
      const sid = randomBytes(18).toString('base64url');
      res.cookie(SID_COOKIE, sid, { sameSite: 'strict', path: '/', secure, httpOnly: true });
      req.cookies = { ...(req.cookies ?? {}), [SID_COOKIE]: sid };
    }
    next();
  };
  const protect: RequestHandler = (req, res, next) =>
    doubleCsrfProtection(req, res, (err?: unknown) => {
      if (!err) return next();
      ctx.log.info({ ip: req.ip }, 'delist portal: CSRF check failed');
      audit(ctx.ds.manager, { clientIp: req.ip ?? null, action: 'csrf_failed', detail: `${req.method} ${req.path}` })
        .catch((e: Error) => ctx.log.warn({ err: e.message }, 'delist portal: audit write failed'))
        .finally(() => {
          const { lang, t } = senderLang(res);
          res.status(403).type('html').send(errorPage(lang, t('csrf.title'), t('csrf.text')));
        });
    });
  return { ensureSid, protect, token: (req: Request, res: Response) => generateCsrfToken(req, res) };
}

/**
 * The address a request is counted against: `addressIdentity` (NFKC, lower case, `+tag` removed),
 * so `Jo+1@x`, `jo+2@x` and `ｊｏ@x` draw on one budget — they reach one mailbox.
 */
export function delistAddressKey(email: unknown): string {
  const typed = String(email ?? '').slice(0, 254);
  return addressIdentity(typed) ?? normalizeLogin(typed);
}

/**
 * Per-client-IP and per-address limits on mailing links, held in Redis so every api process shares
 * them. The address limits stop the portal from being used to flood one mailbox: per hour
 * (DELIST_RATE_PER_EMAIL), and per day (DELIST_MAILS_PER_ADDRESS_PER_DAY) whoever asks, from however
 * many addresses. Counted per request, before its mail, so a day's mails to one mailbox never exceed it.
 */
export function delistLimits(ctx: ApiContext): { perIp: RequestHandler; perEmail: RequestHandler } {
  const store = (name: string) =>
    new RedisStore({
      prefix: `${ctx.config.REDIS_PREFIX}:delist-rl:${name}:`,
      sendCommand: (...args: string[]) => ctx.redis.call(args[0]!, ...args.slice(1)) as never,
    });
  const refuse = (what: string, key: 'limitIp' | 'limitEmail' | 'limitEmailDay', retryAfter: number) => async (req: Request, res: Response, _next: NextFunction) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    // Audited before answering; a failed audit write must not turn a 429 into a 500.
    await audit(ctx.ds.manager, {
      clientIp: req.ip ?? null, email: String(body.email ?? '').slice(0, 254) || null, action: 'rate_limited', detail: `limit ${what}`,
    }).catch((err: Error) => ctx.log.warn({ err: err.message }, 'delist portal: audit write failed'));
    const { lang, t } = senderLang(res);
    res.status(429).set('Retry-After', String(retryAfter)).type('html').send(errorPage(lang, t('delist.limitTitle'), t(`delist.${key}`)));
  };
  const byAddress = (req: Request) => delistAddressKey((req.body as Record<string, unknown> | undefined)?.email);
  const perEmailHour = rateLimit({
    windowMs: 3600_000,
    limit: ctx.config.DELIST_RATE_PER_EMAIL,
    store: store('email'),
    keyGenerator: byAddress,
    handler: refuse('for this email address', 'limitEmail', 3600),
    standardHeaders: 'draft-8',
    legacyHeaders: false,
  });
  const perEmailDay = rateLimit({
    windowMs: 86_400_000,
    limit: ctx.config.DELIST_MAILS_PER_ADDRESS_PER_DAY,
    store: store('email-day'),
    keyGenerator: byAddress,
    handler: refuse('for this email address today', 'limitEmailDay', 86_400),
    // One RateLimit header set is enough (the hourly one); this limiter only refuses.
    standardHeaders: false,
    legacyHeaders: false,
  });
  return {
    perIp: rateLimit({ windowMs: 3600_000, limit: ctx.config.DELIST_RATE_PER_IP, store: store('ip'), handler: refuse('from your address', 'limitIp', 3600), standardHeaders: 'draft-8', legacyHeaders: false }),
    perEmail: Router().use(perEmailHour, perEmailDay),
  };
}
