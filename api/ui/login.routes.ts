import { Router, urlencoded } from 'express';
import { checkCredentials } from '../../shared/users/users.ts';
import type { ApiContext } from '../context.ts';
import { html } from '../web/html.ts';
import { layout } from '../web/layout.ts';
import { csrfKit } from './csrf.ts';
import { LoginThrottle } from './login-throttle.ts';
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
  const throttle = new LoginThrottle(ctx.redis, ctx.config.REDIS_PREFIX, ctx.config.LOGIN_MAX_FAILURES, ctx.config.LOGIN_LOCKOUT_MINUTES * 60);
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
    if (await throttle.isLocked(email)) {
      res.status(429);
      return loginPage(req, res, `Too many failed attempts. Try again in ${ctx.config.LOGIN_LOCKOUT_MINUTES} minutes.`, email);
    }
    const user = await checkCredentials(ctx.ds, email, password);
    if (!user) {
      await throttle.fail(email);
      res.status(401);
      return loginPage(req, res, 'Wrong email or password.', email);
    }
    await throttle.clear(email);
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
