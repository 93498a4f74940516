import { Router } from 'express';
import type { ApiContext } from '../context.ts';
import { getOutboxMail, listOutbox } from '../../shared/mail/dev-outbox.ts';
import { csrfKit } from '../ui/csrf.ts';
import { requireUser, withSession } from '../ui/ui-auth.ts';
import { badParameterPage, sendPage } from '../ui/page.ts';
import { html } from '../web/html.ts';
import { uuid } from '../edge/params.ts';
import { publicUrl } from '../reputation/public-url.ts';
import { outboxList, outboxMail } from './dev-outbox.view.ts';

/**
 * `/dev/outbox` and `/dev/outbox/:id`: the development outbox (shared/mail/dev-outbox.ts), for
 * admins only. app.ts mounts this only when the mailer keeps mail in the outbox — `start --demo`
 * without MAIL_RELAY_URL, never with NODE_ENV=production — so elsewhere these paths are 404.
 */
export function devOutboxRoutes(ctx: ApiContext): Router {
  const router = Router();
  const csrf = csrfKit(ctx);
  const admin = [withSession(ctx), requireUser('admin')];
  const base = publicUrl(ctx.config);

  router.get('/dev/outbox', ...admin, async (req, res) => {
    sendPage(req, res, csrf, 'Development outbox', outboxList(await listOutbox(ctx.ds, 200)));
  });

  router.get('/dev/outbox/:id', ...admin, async (req, res) => {
    const id = uuid.safeParse(req.params.id);
    if (!id.success) return badParameterPage(req, res, csrf, [{ field: 'id', message: id.error.issues[0]!.message }]);
    const mail = await getOutboxMail(ctx.ds, id.data);
    if (!mail) {
      res.status(404);
      return sendPage(req, res, csrf, 'Not found', html`<h1>No such mail</h1><p><a href="/dev/outbox">Back to the outbox</a></p>`);
    }
    sendPage(req, res, csrf, mail.subject ?? 'Mail', await outboxMail(mail, base));
  });
  return router;
}
