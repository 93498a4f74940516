import { randomBytes } from 'node:crypto';
import type { RequestHandler } from 'express';
import session from 'express-session';
import type { ApiContext } from '../context.ts';
import type { UserRole } from '../../shared/users/users.ts';
import { RedisSessionStore } from './redis-session-store.ts';

declare module 'express-session' {
  interface SessionData {
    user?: { id: string; email: string; role: UserRole };
    /** Set on the login page so the pre-login session (and its CSRF binding) is stored. */
    anon?: boolean;
    flash?: string;
  }
}

export const SESSION_COOKIE = 'ai_sid';

interface SessionKit {
  middleware: RequestHandler;
  secret: string;
  /** True when cookies must carry Secure (PUBLIC_URL is https). */
  secureCookies: boolean;
}

const kits = new WeakMap<ApiContext, SessionKit>();

/**
 * One session middleware per app (the UI and the JSON API share it). Without SESSION_SECRET a
 * random secret is made per process: sessions then do not survive a restart or span instances,
 * which is logged — fine for a laptop, not for production.
 */
export function sessionKit(ctx: ApiContext): SessionKit {
  const existing = kits.get(ctx);
  if (existing) return existing;
  let secret = ctx.config.SESSION_SECRET;
  if (!secret) {
    secret = randomBytes(32).toString('hex');
    if (ctx.config.NODE_ENV === 'production') ctx.log.warn('SESSION_SECRET is not set: UI sessions end at restart and do not span instances');
  }
  const ttl = ctx.config.SESSION_IDLE_MINUTES * 60;
  const secureCookies = ctx.config.PUBLIC_URL?.startsWith('https:') ?? false;
  const middleware = session({
    name: SESSION_COOKIE,
    secret,
    store: new RedisSessionStore(ctx.redis, `${ctx.config.REDIS_PREFIX}:sess:`, ttl),
    resave: false,
    saveUninitialized: false,
    rolling: true,
    // 'auto': Secure whenever the request came over https (directly or via a trusted proxy).
    cookie: { httpOnly: true, sameSite: 'lax', secure: secureCookies ? true : 'auto', maxAge: ttl * 1000, path: '/' },
  });
  const kit = { middleware, secret, secureCookies };
  kits.set(ctx, kit);
  return kit;
}
