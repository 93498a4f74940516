import { Router, urlencoded, type Request, type Response } from 'express';
import type { z } from 'zod';
import { isAppError, type AppError } from '../../../shared/errors/app-error.ts';
import type { ApiContext } from '../../context.ts';
import { html, type Html } from '../../web/html.ts';
import type { CsrfKit } from '../csrf.ts';
import { sendPage } from '../page.ts';
import { requireUser, withSession } from '../ui-auth.ts';

/**
 * An analyst action from the UI, done in two steps without JavaScript: the page's form posts the
 * action's fields (CSRF-checked); the answer is a confirmation page saying exactly what will
 * happen, whose Confirm button posts the same fields again with `confirm=yes`; only that second
 * post acts (as `user:<email>`), then redirects back with a one-time notice (post/redirect/get).
 */
export interface UiAction<S extends z.ZodType<Record<string, unknown>>> {
  /** Express path (POST), e.g. `/ui/ips/:ip/list`. */
  path: string;
  /** What the confirmation page is titled, e.g. "List an IP". */
  title: string;
  /** Path parameters and form fields, validated together. */
  schema: S;
  /** The form fields carried from the first step to the confirmation (hidden inputs). */
  carry: readonly (keyof z.infer<S> & string)[];
  /** Where to go afterwards (or on Cancel) when the form gave no `return`. */
  back(params: Record<string, string>): string;
  /** What will happen, for the confirmation page (escaped). */
  describe(input: z.infer<S>): Html;
  /** The confirm button's text. */
  verb(input: z.infer<S>): string;
  danger?: boolean;
  /** Refuse before asking for confirmation (e.g. a platform address is never listed). */
  precheck?(ctx: ApiContext, input: z.infer<S>): Promise<AppError | null>;
  /** Does it; answers the notice shown on the page it returns to. AppErrors become "Error: …". */
  perform(ctx: ApiContext, input: z.infer<S>, actor: string): Promise<string>;
}

/** A same-site path to return to (a list with its filters); anything else is ignored. */
export function safeReturn(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 2000) return null;
  return /^\/(?:ui\/|$)[^\s\\]*$/.test(value) && !value.startsWith('//') ? value : null;
}

/** How the confirmation page names a carried field. */
const FIELD_LABELS: Record<string, string> = { reason: 'Reason', decision: 'Decision', expiresAt: 'Until' };

function problemText(err: z.ZodError): string {
  const i = err.issues[0]!;
  return `${i.path.join('.') || 'form'}: ${i.message}`;
}

function confirmPage<S extends z.ZodType<Record<string, unknown>>>(a: UiAction<S>, input: z.infer<S>, req: Request, res: Response, csrf: CsrfKit, back: string): void {
  const carried = a.carry.map((k) => [k, input[k]] as const).filter(([, v]) => v !== undefined && v !== null && v !== '');
  sendPage(req, res, csrf, `Confirm: ${a.title}`, html`<h1>Confirm: ${a.title}</h1>
<section class="card confirm">
${a.describe(input)}
${carried.length ? html`<dl class="kv">${carried.map(([k, v]) => html`<dt>${FIELD_LABELS[k] ?? k}</dt><dd class="prewrap">${String(v)}</dd>`)}</dl>` : ''}
<form method="post" action="${req.originalUrl}" class="confirm-form">
<input type="hidden" name="_csrf" value="${csrf.token(req, res)}">
${carried.map(([k, v]) => html`<input type="hidden" name="${k}" value="${String(v)}">`)}
<input type="hidden" name="return" value="${back}">
<button type="submit" name="confirm" value="yes"${a.danger ? html` class="danger"` : ''}>${a.verb(input)}</button>
<a class="button secondary" href="${back}">Cancel</a>
</form></section>`);
}

/** Mounts each action's POST route: session, role, form body, CSRF, then the two steps. */
export function actionRoutes(ctx: ApiContext, csrf: CsrfKit, actions: UiAction<z.ZodType<Record<string, unknown>>>[]): Router {
  const router = Router();
  for (const a of actions) {
    router.post(a.path, withSession(ctx), requireUser('analyst', 'admin'), urlencoded({ extended: false, limit: '16kb' }), csrf.protect, async (req, res) => {
      const params = req.params as Record<string, string>;
      const body = (req.body ?? {}) as Record<string, unknown>;
      const back = safeReturn(body.return) ?? a.back(params);
      const { _csrf: _c, confirm, return: _r, ...fields } = body;
      const parsed = a.schema.safeParse({ ...fields, ...params });
      if (!parsed.success) {
        req.session.flash = `Error: ${problemText(parsed.error)}`;
        return res.redirect(303, back);
      }
      try {
        const refused = await a.precheck?.(ctx, parsed.data);
        if (refused) throw refused;
        if (confirm !== 'yes') return confirmPage(a, parsed.data, req, res, csrf, back);
        req.session.flash = await a.perform(ctx, parsed.data, `user:${req.session.user!.email}`);
      } catch (err) {
        if (!isAppError(err)) throw err;
        req.session.flash = `Error: ${err.message}`;
      }
      res.redirect(303, back);
    });
  }
  return router;
}

/**
 * The first step's form, as pages show it: the fields, a `return` to come back to, CSRF. `button`
 * is the submit button's text, or the buttons themselves (two choices such as approve / deny).
 */
export function actionForm(opts: { action: string; token: string; fields?: Html | string; button: string | Html; danger?: boolean; returnTo?: string; className?: string }): Html {
  return html`<form method="post" action="${opts.action}" class="${opts.className ?? 'inline action'}">
<input type="hidden" name="_csrf" value="${opts.token}">
${opts.returnTo ? html`<input type="hidden" name="return" value="${opts.returnTo}">` : ''}
${opts.fields ?? ''}${typeof opts.button === 'string' ? html`<button type="submit"${opts.danger ? html` class="danger"` : ''}>${opts.button}</button>` : opts.button}</form>`;
}
