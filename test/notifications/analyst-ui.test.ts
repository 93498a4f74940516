import { expect } from 'chai';
import { createUser } from '../../shared/users/users.ts';
import { Browserless } from '../analyst/ui-login.ts';
import { waitForSubmission, waitUntil } from '../helpers/db.ts';
import { forwardedSpam } from './helpers.ts';
import { submit, useNotifyService } from './service-fixture.ts';

describe('analyst UI: notifications on the tenant and report pages', function () {
  this.timeout(60_000);
  const f = useNotifyService();

  it('lists what was sent to the tenant and the answer, escaped', async () => {
    await waitForSubmission(f.ds, await submit(f, forwardedSpam()));
    await waitUntil(async () => ((await f.ds.query(`SELECT 1 FROM notifications WHERE status = 'sent'`)).length ? true : undefined), 'sent');
    const [n]: { id: string; report_ids: string[] }[] = await f.ds.query(`SELECT id, report_ids FROM notifications`);
    await f.ds.query(`INSERT INTO notification_answers (notification_id, answer, comment) VALUES ($1, 'disputed', '<script>x</script>')`, [n!.id]);
    await createUser(f.ds, 'ana@desk.example', 'analyst', 'a long enough password 1');
    const ui = new Browserless(f.svc.url);
    expect((await ui.login('ana@desk.example', 'a long enough password 1')).status).to.equal(303);
    for (const path of ['/ui/tenants/contoso', `/ui/reports/${n!.report_ids[0]}`]) {
      const page = await (await ui.fetch(path)).text();
      expect(page, path).to.include('Notifications to the tenant').and.include('noc@contoso.example').and.include('disputed');
      expect(page, path).to.include('&lt;script&gt;x&lt;/script&gt;').and.not.include('<script>x</script>');
    }
  });
});
