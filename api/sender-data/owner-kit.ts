import express, { type Request, type Response } from 'express';
import type { ApiContext } from '../context.ts';
import { MailBudget } from '../trust/mail-budget.ts';
import { publicUrl } from '../reputation/public-url.ts';
import { visitorCsrf, type VisitorCsrf } from '../web/visitor-csrf.ts';
import type { Language } from '../web/i18n/languages.ts';
import { reputationSettings, type ReputationSettings } from '../../shared/reputation/settings.ts';
import type { PageLocale } from './pages/shell.ts';

/** What every owner route shares: the context, CSRF kit, mail budget, form parser and page helpers. */
export interface OwnerKit {
  ctx: ApiContext;
  csrf: VisitorCsrf;
  budget: MailBudget;
  settings: ReputationSettings;
  form: express.RequestHandler;
  base: string;
  locale(res: Response, path?: string): PageLocale;
  send(res: Response, status: number, body: string): void;
  field(req: Request, name: string): string;
}

export function ownerKit(ctx: ApiContext): OwnerKit {
  return {
    ctx,
    csrf: visitorCsrf(ctx.config, ctx.log, 'sender-data'),
    budget: new MailBudget(ctx.redis, ctx.config),
    settings: reputationSettings(ctx.config),
    form: express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 10 }),
    base: publicUrl(ctx.config),
    locale: (res, path = '/sender/data') => ({ lang: res.locals.lang as Language, path }),
    send: (res, status, body) => void res.status(status).set('Cache-Control', 'no-store').type('html').send(body),
    field(req, name) {
      const v = (req.body as Record<string, unknown> | undefined)?.[name];
      return typeof v === 'string' ? v : '';
    },
  };
}
