import { expect } from 'chai';
import { waitForSubmission, waitUntil } from '../helpers/db.ts';
import { forwardedSpam } from './helpers.ts';
import { api, useNotifyService } from './service-fixture.ts';

/**
 * A tenant's `minTrust` is judged on the report's trust NOW: a report below it notifies nobody,
 * and the same report notifies once when its trust is raised later (an analyst's promotion, like
 * a confirmed web report, goes through the same apply-trust-changes job).
 */
describe('tenant notifications follow a report\'s trust after intake', function () {
  this.timeout(60_000);
  const f = useNotifyService();

  it('an anonymous report notifies nobody until it is promoted, then exactly once', async () => {
    // The public JSON report form: anonymous until the reporter confirms (contoso needs verified).
    const res = await fetch(`${f.svc.url}/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'someone@reporter.example', category: 'spam', message: forwardedSpam().toString('utf8') }),
    });
    expect(res.status).to.equal(202);
    const { id } = (await res.json()) as { id: string };
    await waitForSubmission(f.ds, id);
    const [report]: { id: string; tenant_id: string; reporter_trust: string }[] = await f.ds.query(`SELECT id, tenant_id, reporter_trust FROM reports WHERE submission_id = $1`, [id]);
    expect(report).to.deep.include({ tenant_id: 'contoso', reporter_trust: 'anonymous' });
    expect(await f.ds.query(`SELECT * FROM notification_items`)).to.have.length(0);

    const promoted = await api<{ changed: boolean }>(f, 'POST', `/v1/reports/${report!.id}/trust`, f.analyst, { trust: 'verified', reason: 'reporter phoned in' });
    expect(promoted.status).to.equal(200);
    // The first mail is the reporter's confirmation link; the second goes to the tenant.
    const mails = await f.smtp.waitFor(2, 20_000);
    expect(mails.map((m) => m.to[0])).to.deep.equal(['someone@reporter.example', 'noc@contoso.example']);
    const sent = await waitUntil(async () => {
      const rows: { status: string; report_ids: string[] }[] = await f.ds.query(`SELECT status, report_ids FROM notifications`);
      return rows[0]?.status === 'sent' ? rows : undefined;
    }, 'the notification to be sent');
    expect(sent).to.have.length(1);
    expect(sent[0]!.report_ids).to.deep.equal([report!.id]);

    // Promoting further re-runs the job: still one notification for this report and tenant.
    await api(f, 'POST', `/v1/reports/${report!.id}/trust`, f.analyst, { trust: 'platform', reason: 'it was our own relay' });
    await waitUntil(async () => {
      const [{ n }] = (await f.ds.query(`SELECT count(*)::int AS n FROM report_trust_changes WHERE applied_at IS NULL`)) as [{ n: number }];
      return n === 0 ? true : undefined;
    }, 'the second change to be applied');
    expect(await f.ds.query(`SELECT id FROM notifications`)).to.have.length(1);
    expect(f.smtp.mails.filter((m) => m.to[0] === 'noc@contoso.example')).to.have.length(1);
  });
});
