import { Router, urlencoded } from 'express';
import { z } from 'zod';
import type { ApiContext } from '../context.ts';
import type { CsrfKit } from '../ui/csrf.ts';
import { requireUser, withSession } from '../ui/ui-auth.ts';
import { isAppError } from '../../shared/errors/app-error.ts';
import { TRIAGE_STATUSES, TRIAGE_SUBJECTS } from '../../shared/triage/triage-status.ts';
import { changeCase } from './triage-store.ts';
import { subjectKey } from './triage-subject.ts';

const form = z.object({
  status: z.enum(TRIAGE_STATUSES),
  assignee: z.string().trim().max(200).transform((s) => (s === '' ? null : s)),
  note: z.string().trim().max(5000).transform((s) => (s === '' ? undefined : s)),
});

/** Where the subject's page is, to go back to after the form. */
function pageOf(kind: (typeof TRIAGE_SUBJECTS)[number], key: string): string {
  return kind === 'campaign' ? `/ui/campaigns/${encodeURIComponent(key)}` : kind === 'ip' ? `/ui/ips/${encodeURIComponent(key)}` : `/ui/tenants/${encodeURIComponent(key)}`;
}

/** `POST /ui/triage/:kind/:key`: the triage card's form (CSRF-protected), as the signed-in user. */
export function triageUiRoutes(ctx: ApiContext, csrf: CsrfKit): Router {
  const router = Router();
  router.post('/ui/triage/:kind/:key', withSession(ctx), requireUser('analyst', 'admin'), urlencoded({ extended: false, limit: '16kb' }), csrf.protect, async (req, res) => {
    const kind = z.enum(TRIAGE_SUBJECTS).safeParse(req.params.kind);
    if (!kind.success) return res.status(404).type('text/plain').send('no such triage subject');
    const key = String(req.params.key);
    const back = `${pageOf(kind.data, key)}#triage`;
    const parsed = form.safeParse(req.body);
    if (!parsed.success) {
      req.session.flash = 'Error: choose a status; notes are at most 5000 characters.';
      return res.redirect(303, back);
    }
    try {
      const canonical = await subjectKey(ctx.ds, kind.data, key);
      await changeCase(ctx.ds, kind.data, canonical, parsed.data, `user:${req.session.user!.email}`);
      req.session.flash = 'Triage saved.';
    } catch (err) {
      if (!isAppError(err)) throw err;
      req.session.flash = `Error: ${err.message}`;
    }
    res.redirect(303, back);
  });
  return router;
}
