import { Router, urlencoded } from 'express';
import { checkCredentials } from '../../shared/users/users.ts';
import { passwordHashSlots } from '../../shared/users/hash-slots.ts';
import type { ApiContext } from '../context.ts';
import { html } from '../web/html.ts';
import { layout } from '../web/layout.ts';
import { csrfKit } from './csrf.ts';
import { LoginGuard, type LoginRefusal } from './login-guard.ts';
import { SESSION_COOKIE } from './session.ts';
import { withSession } from './ui-auth.ts';

/** Only same-site relative paths are followed after login (no open redirect). */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])/.test(next) ? next : '/';
}

/** GET/POST /login and POST /logout. */
export function loginRoutes(ctx: ApiContext): Router {
  const router = Router();
  const csrf = csrfKit(ctx);
  const c = ctx.config;
  const guard = new LoginGuard(ctx.redis, {
    prefix: c.REDIS_PREFIX, windowSeconds: c.LOGIN_LOCKOUT_MINUTES * 60, perIp: c.LOGIN_LIMIT_PER_IP, perAccountAndIp: c.LOGIN_MAX_FAILURES,
    accountBurst: c.LOGIN_ACCOUNT_BURST, accountRefillSeconds: c.LOGIN_ACCOUNT_REFILL_SECONDS, knownIpDays: c.LOGIN_KNOWN_IP_DAYS,
  });
  passwordHashSlots.configure(c.PASSWORD_HASH_CONCURRENCY, c.PASSWORD_HASH_QUEUE);
  const form = urlencoded({ extended: false, limit: '4kb' });

  const loginPage = (req: Parameters<typeof csrf.token>[0], res: Parameters<typeof csrf.token>[1], error?: string, email = '') => {
    // Store the anonymous session so the CSRF token has a stable session id to bind to.
    req.session.anon = true;
    const token = csrf.token(req, res);
    res.type('html').send(layout({
      title: 'Sign in',
      body: html`<section class="card login">
<h1>Sign in</h1>
${error ? html`<p class="errors" role="alert">${error}</p>` : ''}
<form method="post" action="/login" class="stack">
<input type="hidden" name="_csrf" value="${token}">
<input type="hidden" name="next" value="${safeNext(req.query.next ?? req.body?.next)}">
<label>Email <input type="email" name="email" autocomplete="username" required autofocus value="${email}"></label>
<label>Password <input type="password" name="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button>
</form></section>`,
    }));
  };

  router.get('/login', withSession(ctx), (req, res) => {
    if (req.session.user) return res.redirect(303, safeNext(req.query.next));
    loginPage(req, res);
  });

  router.post('/login', withSession(ctx), form, csrf.protect, async (req, res) => {
    const email = String(req.body?.email ?? '').slice(0, 254);
    const password = String(req.body?.password ?? '').slice(0, 1024);
    const ip = req.ip ?? 'unknown';
    // A place for the password hash first, synchronously: past the bound, refuse before counting
    // anything or touching Redis (hash-slots.ts says why the bound exists).
    const slot = passwordHashSlots.tryAcquire();
    if (!slot) {
      res.status(429).set('Retry-After', '1');
      return loginPage(req, res, 'The service is busy signing people in. Try again in a moment.', email);
    }
    let user: Awaited<ReturnType<typeof checkCredentials>>;
    try {
      let refusal: LoginRefusal | null;
      try {
        refusal = await guard.attempt(email, ip);
      } catch (err) {
        // Without the counters guessing would be unlimited: refuse rather than check blindly.
        ctx.log.warn({ err: (err as Error).message }, 'sign-in limits unavailable; refusing sign-in');
        res.status(503).set('Retry-After', '5');
        return loginPage(req, res, 'Signing in is not possible right now. Try again in a moment.', email);
      }
      if (refusal) {
        res.status(429).set('Retry-After', String(refusal.retryAfter));
        return loginPage(req, res, refusalMessage(refusal), email);
      }
      await slot.ready;
      user = await checkCredentials(ctx.ds, email, password);
    } finally {
      slot.release();
    }
    if (!user) {
      res.status(401);
      return loginPage(req, res, 'Wrong email or password.', email);
    }
    // The password was right: a failure to forget the counters must not undo the sign-in.
    await guard.succeeded(email, ip).catch((err: Error) => ctx.log.warn({ err: err.message }, 'could not reset sign-in counters'));
    const next = safeNext(req.body?.next);
    // A new session id at login: a session id planted before login is worthless afterwards.
    req.session.regenerate((err) => {
      if (err) return res.status(503).type('text/plain').send('cannot start a session now; retry');
      req.session.user = user;
      req.session.save(() => res.redirect(303, next));
    });
  });

  router.post('/logout', withSession(ctx), form, csrf.protect, (req, res) => {
    req.session.destroy(() => {
      res.clearCookie(SESSION_COOKIE, { path: '/' });
      res.redirect(303, '/login');
    });
  });
  return router;
}

function refusalMessage(r: LoginRefusal): string {
  const wait = r.retryAfter >= 120 ? `${Math.ceil(r.retryAfter / 60)} minutes` : `${r.retryAfter} seconds`;
  if (r.reason === 'account') return `Too many sign-in attempts for this account from new places. Try again in ${wait}.`;
  if (r.reason === 'ip') return `Too many sign-in attempts from your address. Try again in ${wait}.`;
  return `Too many failed attempts. Try again in ${wait}.`;
}
