import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { analyzeSubmission } from '../../shared/analysis/analyze.ts';
import { compileTenancy } from '../../shared/tenancy/compile-tenancy.ts';
import { parseTenancy } from '../../shared/tenancy/parse-tenancy.ts';
import { createSubmissionQueue } from '../../shared/queue/submission-queue.ts';
import { createRedis } from '../../shared/queue/redis.ts';
import { notifyTick } from '../../workers/notifications/notify-tick.ts';
import { waitForSubmission, waitUntil } from '../helpers/db.ts';
import { forwardedSpam, leakedAddress, RECIPIENT, REPORTER } from './helpers.ts';
import { api, NOTIFY_TENANCY, submit, useNotifyService, type NotifyFixture } from './service-fixture.ts';

interface N { id: string; status: string; attempts: number; last_error: string | null; message_id: string | null; channel: string; trigger: string; held_count: number }
const notifications = (f: NotifyFixture): Promise<N[]> => f.ds.query(`SELECT * FROM notifications ORDER BY created_at, id`);

/** A report about fabrikam: its dedicated egress 52.101.77.10 delivered it (→ high confidence). */
function fabrikamSpam(n: number): Buffer {
  return Buffer.from([
    `Received: from out.fabrikam.com (out.fabrikam.com [52.101.77.10]) by mx.example.net with ESMTPS id f${n}; Tue, 25 Nov 2025 10:00:05 +0000`,
    'From: News <news@fabrikam.com>', `To: ${RECIPIENT}`, `Subject: Offer number ${n} for =?utf-8?q?you?=`, 'Date: Tue, 25 Nov 2025 10:00:00 +0000', `Message-ID: <fab-${n}@fabrikam.com>`, '', `Hello ${RECIPIENT}`, '',
  ].join('\r\n'));
}

describe('tenant notifications, end to end (real SMTP relay capture)', function () {
  this.timeout(60_000);
  const f = useNotifyService({ NOTIFY_MAX_PER_DAY: '2' });

  it('mails one ARF per report to the configured contact, readable by our core and mailparser, with nothing of the reporter or recipient', async () => {
    const id = await submit(f, forwardedSpam());
    await waitForSubmission(f.ds, id);
    const [mail] = await f.smtp.waitFor(1);
    expect(mail!.to).to.deep.equal(['noc@contoso.example']); // the configured contact, never an address from the report
    expect(leakedAddress(mail!.raw, [RECIPIENT, REPORTER])).to.equal(null);
    const analysis = await analyzeSubmission(mail!.raw, compileTenancy(parseTenancy(NOTIFY_TENANCY)));
    expect(analysis.kind).to.equal('arf');
    expect(analysis.reports[0]!.feedbackType).to.equal('abuse');
    expect(analysis.reports[0]!.arf!.sourceIp).to.equal('203.0.113.7');
    expect(analysis.reports[0]!.messageId).to.equal('<outbound-smtp-1@contoso.com>');
    // Postgres → notification worker → mail: Arrival-Date is the report's received_at (to the second RFC 5322 carries).
    const [stored]: { received_at: Date }[] = await f.ds.query(`SELECT received_at FROM reports WHERE submission_id = $1`, [id]);
    expect(Math.floor(Date.parse(analysis.reports[0]!.arf!.arrivalDate!) / 1000)).to.equal(Math.floor(stored!.received_at.getTime() / 1000));
    expect(mail!.parsed.headers.get('auto-submitted')).to.equal('auto-generated');
    expect(mail!.parsed.attachments.map((a) => a.contentType)).to.include.members(['message/feedback-report', 'message/rfc822']);
    const [n] = await waitUntil(async () => ((await notifications(f))[0]?.status === 'sent' ? notifications(f) : undefined), 'notification sent');
    expect(n!.channel).to.equal('arf');
    expect(n!.message_id).to.equal(mail!.parsed.messageId);
    expect(mail!.text).to.match(/\/respond\/[A-Za-z0-9_-]{43}/);
  });

  it('notifies exactly once per report when the submission is processed again', async () => {
    const id = await submit(f, forwardedSpam());
    await waitForSubmission(f.ds, id);
    await f.smtp.waitFor(1);
    // Redelivery: the submission goes back to queued and a second job processes it again.
    const redis = createRedis(f.config.REDIS_URL, { name: 'test' });
    const queue = createSubmissionQueue(redis, f.config.REDIS_PREFIX);
    try {
      await f.ds.query(`UPDATE submissions SET status = 'queued' WHERE id = $1`, [id]);
      await queue.add('process-submission', { submissionId: id }, { jobId: `again-${id}` });
      await waitForSubmission(f.ds, id);
    } finally {
      await queue.close();
      redis.disconnect();
    }
    expect(await f.ds.query(`SELECT count(*)::int AS n FROM reports WHERE submission_id = $1`, [id])).to.deep.equal([{ n: 1 }]);
    expect(await notifications(f)).to.have.length(1);
    expect(await f.ds.query(`SELECT count(*)::int AS n FROM notification_items`)).to.deep.equal([{ n: 1 }]);
  });

  it('retries after the relay was down, then sends', async () => {
    f.smtp.refuse = true;
    await submit(f, forwardedSpam());
    const [failing] = await waitUntil(async () => {
      const rows = await notifications(f);
      return rows[0] && rows[0].attempts >= 1 && rows[0].last_error ? rows : undefined;
    }, 'a failed attempt');
    expect(failing!.status).to.equal('queued');
    expect(failing!.last_error).to.match(/451|try again/i);
    f.smtp.refuse = false;
    await f.smtp.waitFor(1);
    const [sent] = await waitUntil(async () => ((await notifications(f))[0]?.status === 'sent' ? notifications(f) : undefined), 'sent after retry');
    expect(sent!.attempts).to.be.greaterThan(1);
    expect(sent!.last_error).to.equal(null);
  });

  it('marks a notification failed after its attempts, shows it, and re-drives it on request', async () => {
    f.smtp.refuse = true;
    await submit(f, forwardedSpam());
    await waitUntil(async () => ((await notifications(f))[0]?.status === 'failed' ? true : undefined), 'failed for good');
    const failed = await api<{ notifications: { id: string; lastError: string; attempts: number }[] }>(f, 'GET', '/v1/notifications?status=failed', f.analyst);
    expect(failed.body.notifications).to.have.length(1);
    expect(failed.body.notifications[0]!.attempts).to.equal(3);
    f.smtp.refuse = false;
    const retry = await api(f, 'POST', `/v1/notifications/${failed.body.notifications[0]!.id}/retry`, f.analyst);
    expect(retry.status).to.equal(202);
    await f.smtp.waitFor(1);
    await waitUntil(async () => ((await notifications(f))[0]?.status === 'sent' ? true : undefined), 're-driven and sent');
  });

  it('never notifies for a report below the tenant thresholds', async () => {
    // quiet wants `verified` confidence; a From-domain match is only `low`.
    const low = Buffer.from(`Received: from x (x [198.51.100.9]) by mx.example.net; Tue, 25 Nov 2025 10:00:05 +0000\r\nFrom: a@quiet.example\r\nTo: ${RECIPIENT}\r\nSubject: low\r\nMessage-ID: <low@quiet.example>\r\n\r\nhi\r\n`);
    const id = await submit(f, low);
    await waitForSubmission(f.ds, id);
    const [r]: { tenant_id: string | null }[] = await f.ds.query(`SELECT tenant_id FROM reports WHERE submission_id = $1`, [id]);
    expect(r!.tenant_id).to.equal(null); // foreign mail: no tenant at all
    expect(await notifications(f)).to.have.length(0);
    expect(await f.ds.query(`SELECT count(*)::int AS n FROM notification_items`)).to.deep.equal([{ n: 0 }]);
  });

  it('holds notifications past the daily cap, and the next digest says how many were held back', async () => {
    for (let i = 0; i < 3; i++) await submit(f, forwardedSpam({ extraBody: `\nnumber ${i}` }));
    await f.smtp.waitFor(2);
    const rows = await waitUntil(async () => {
      const r = await notifications(f);
      return r.filter((n) => n.status === 'sent').length === 2 && r.some((n) => n.status === 'held') ? r : undefined;
    }, 'two sent, one held');
    expect(rows.filter((n) => n.status === 'held')).to.have.length(1);
    const tick = () => notifyTick({ ds: f.ds, tenancy: () => f.tenancy.get(), dispatcher: f.queues.dispatcher, maxPerDay: 2 }, new Date(Date.now() + 2 * 3600_000));
    expect((await tick()).digests).to.have.length(0); // still at the cap: nothing more today
    await f.ds.query(`UPDATE notifications SET sent_at = now() - interval '25 hours' WHERE status = 'sent'`); // a day passes
    const { digests } = await tick();
    expect(digests).to.have.length(1);
    const mails = await f.smtp.waitFor(3);
    const digest = mails[2]!;
    expect(digest.to).to.deep.equal(['noc@contoso.example']);
    expect(digest.subject).to.match(/1 report \(1 held back\)/);
    expect(digest.text).to.match(/1 of them were held back/);
    const csv = digest.parsed.attachments.find((a) => a.filename === 'reports.csv')!.content.toString();
    expect(csv.trim().split('\r\n')).to.have.length(2);
    expect(csv).to.include('"yes"');
    expect(leakedAddress(digest.raw, [RECIPIENT, REPORTER])).to.equal(null);
  });

  it('sends a digest-mode tenant one digest per period with the reports and a CSV', async () => {
    const ids = [await submit(f, fabrikamSpam(1)), await submit(f, fabrikamSpam(2))];
    for (const id of ids) await waitForSubmission(f.ds, id);
    expect(await notifications(f)).to.have.length(0); // nothing until the period is over
    const tick = (ms: number) => notifyTick({ ds: f.ds, tenancy: () => f.tenancy.get(), dispatcher: f.queues.dispatcher, maxPerDay: 2 }, new Date(Date.now() + ms));
    expect((await tick(10 * 60_000)).digests).to.have.length(0);
    expect((await tick(61 * 60_000)).digests).to.have.length(1);
    const [mail] = await f.smtp.waitFor(1);
    expect(mail!.to).to.deep.equal(['abuse@fabrikam.example']); // notify.to defaults to abuseContact
    expect(mail!.subject).to.equal('Abuse digest for Fabrikam Inc: 2 reports');
    expect(mail!.text).to.include('52.101.77.10  2').and.include('Offer number 1 for you').and.match(/\/respond\/[A-Za-z0-9_-]{43}/);
    const csv = mail!.parsed.attachments.find((a) => a.filename === 'reports.csv')!.content.toString();
    const reportIds: { id: string }[] = await f.ds.query(`SELECT id FROM reports ORDER BY received_at`);
    for (const r of reportIds) expect(csv).to.include(r.id);
    expect(leakedAddress(mail!.raw, [RECIPIENT])).to.equal(null);
    expect((await tick(62 * 60_000)).digests).to.have.length(0); // nothing pending: no empty digest
  });

  it('pauses and resumes a tenant, and an analyst can notify now for chosen reports', async () => {
    expect((await api(f, 'POST', '/v1/tenants/contoso/notifications/pause', f.analyst, {})).status).to.equal(200);
    const id = await submit(f, forwardedSpam());
    await waitForSubmission(f.ds, id);
    await waitUntil(async () => ((await notifications(f))[0]?.status === 'held' ? true : undefined), 'held while paused');
    const tenantView = await api<{ paused: boolean; notifications: { status: string }[] }>(f, 'GET', '/v1/tenants/contoso/notifications', f.analyst);
    expect(tenantView.body.paused).to.equal(true);
    expect(tenantView.body.notifications.map((n) => n.status)).to.deep.equal(['held']);
    await api(f, 'POST', '/v1/tenants/contoso/notifications/resume', f.analyst, {});
    const [report]: { id: string }[] = await f.ds.query(`SELECT id FROM reports WHERE submission_id = $1`, [id]);
    const wrong = await api(f, 'POST', '/v1/tenants/fabrikam/notify', f.analyst, { reportIds: [report!.id] });
    expect(wrong.status).to.equal(400); // not fabrikam's report
    const bad = await api<{ detail: string }>(f, 'POST', '/v1/tenants/contoso/notify', f.analyst, { reportIds: ['nope'] });
    expect(bad.status).to.equal(400);
    const now = await api<{ notifications: string[] }>(f, 'POST', '/v1/tenants/contoso/notify', f.analyst, { reportIds: [report!.id] });
    expect(now.status).to.equal(202);
    const [mail] = await f.smtp.waitFor(1);
    expect((await analyzeSubmission(mail!.raw, compileTenancy(parseTenancy(NOTIFY_TENANCY)))).kind).to.equal('arf');
    const manual = (await notifications(f)).find((n) => n.id === now.body.notifications[0]);
    expect(manual!.trigger).to.equal('manual');
  });
});

describe('tenancy notify block', () => {
  it('accepts the demo tenancy with a digest-mode tenant delivering to its contact', () => {
    const t = parseTenancy(readFileSync('examples/demo-tenancy.yaml', 'utf8'));
    expect(t.tenants.some((x) => x.notify?.mode === 'digest')).to.equal(true);
  });
  it('names a bad notify field', () => {
    expect(() => parseTenancy(NOTIFY_TENANCY.replace('mode: arf, to', 'mode: fax, to'))).to.throw(/notify\.mode/);
  });
});
