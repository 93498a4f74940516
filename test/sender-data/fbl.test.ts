import { expect } from 'chai';
import { bearer } from '../helpers/service.ts';
import { waitForSubmission, waitUntil } from '../helpers/db.ts';
import { linkIn } from './form-client.ts';
import { local, signIn, useOwnerService } from './owner-fixture.ts';
import { seedOwnerRange } from './seed-history.ts';

const OWNER = 'postmaster@sender-co.example';
const FBL = 'fbl-reports@sender-co.example';
const RECIPIENT = 'victim.person@example.net';

/** Spam that an outside sender (203.0.113.7, the owner's range) delivered straight to our platform's user. */
function spam(n: number): Buffer {
  return Buffer.from([
    `Received: from mta7.sender-co.example (mta7.sender-co.example [203.0.113.7]) by mx.example.net with ESMTP id q${n}; Tue, 25 Nov 2025 10:00:05 +0000`,
    'Return-Path: <bounces@sender-co.example>',
    'From: Deals <deals@sender-co.example>', `To: ${RECIPIENT}`, `Subject: Deal ${n}`, 'Date: Tue, 25 Nov 2025 10:00:00 +0000', `Message-ID: <deal-${n}@sender-co.example>`,
    '', `Hello ${RECIPIENT}, buy now.`, '',
  ].join('\r\n'));
}

describe('sender data: the feedback loop (ARF copies through the notifications outbox, to a capture relay)', function () {
  this.timeout(60_000);
  const f = useOwnerService({ NOTIFY_MAX_PER_DAY: '1', NOTIFY_RETRY_BASE: '100' }, 'api,worker');

  it('subscribes an address only once its reader confirms, then mails one redacted ARF per trusted complaint, capped per day', async () => {
    await seedOwnerRange(f.ds, OWNER, '203.0.113.0/24');
    const client = await signIn(f, OWNER);
    const asked = await client.post('/sender/data/fbl', { email: FBL });
    expect(asked.status).to.equal(200);
    const confirmMail = (await f.smtp.waitFor(2)).find((m) => m.to.includes(FBL))!;
    const page = await client.get(local(linkIn(confirmMail.text, '/sender/data/fbl/confirm')));
    expect((await f.ds.query(`SELECT status FROM sender_fbl_subscriptions`))[0].status).to.equal('pending');
    const token = /name="token" value="([^"]+)"/.exec(page.text)![1]!;
    expect((await client.post('/sender/data/fbl/confirm', { token }, page.text)).status).to.equal(200);
    expect((await f.ds.query(`SELECT status FROM sender_fbl_subscriptions`))[0].status).to.equal('active');

    const intake = await bearer(f.ds, 'intake'); // trust platform ≥ REPUTATION_MIN_TRUST
    const submit = async (raw: Buffer) => {
      const res = await fetch(`${f.svc.url}/v1/intake/email`, { method: 'POST', body: new Uint8Array(raw), headers: { authorization: intake, 'content-type': 'message/rfc822' } });
      return ((await res.json()) as { id: string }).id;
    };
    await waitForSubmission(f.ds, await submit(spam(1)));
    const mails = await f.smtp.waitFor(3);
    const arf = mails.find((m) => m.to.includes(FBL) && m.parsed.headers.get('content-type') && /feedback-report/.test(String((m.parsed.headers.get('content-type') as { params?: Record<string, string> }).params?.['report-type'] ?? '')))!;
    expect(arf, 'an ARF to the subscribed address').to.not.equal(undefined);
    const report = arf.parsed.attachments.find((a) => a.contentType === 'message/feedback-report')!;
    const fields = report.content.toString('utf8');
    expect(fields).to.match(/^Feedback-Type: abuse/m).and.match(/^Source-IP: 203\.0\.113\.7/m).and.match(/^Original-Mail-From: <bounces@sender-co\.example>/m);
    expect(fields).to.not.match(/Original-Rcpt-To/);
    expect(arf.raw.toString('latin1')).to.not.contain(RECIPIENT);
    expect(arf.parsed.attachments.map((a) => a.contentType)).to.include('message/rfc822');
    const [n] = await waitUntil(async () => {
      const rows: { status: string; channel: string }[] = await f.ds.query(`SELECT status, channel FROM notifications WHERE fbl_subscription_id IS NOT NULL`);
      return rows[0]?.status === 'sent' ? rows : undefined;
    }, 'FBL notification sent');
    expect(n!.channel).to.equal('fbl');

    // The daily cap (NOTIFY_MAX_PER_DAY=1 here) holds the second copy; redelivery adds none.
    await waitForSubmission(f.ds, await submit(spam(2)));
    const held = await waitUntil(async () => {
      const rows: { status: string; last_error: string | null }[] = await f.ds.query(`SELECT status, last_error FROM notifications WHERE fbl_subscription_id IS NOT NULL ORDER BY created_at`);
      return rows[1]?.status === 'held' ? rows : undefined;
    }, 'second FBL copy held');
    expect(held[1]!.last_error).to.match(/daily cap/);
    expect(f.smtp.mails.filter((m) => m.to.includes(FBL))).to.have.length(2); // the confirmation and one ARF
  });

  it('sends nothing about a complaint from outside the verified ranges', async () => {
    const ownerId = await seedOwnerRange(f.ds, OWNER, '198.51.100.0/24'); // 203.0.113.7 is not in it
    await f.ds.query(`INSERT INTO sender_fbl_subscriptions (id, owner_id, email, status) VALUES (gen_random_uuid(), $1, $2, 'active')`, [ownerId, FBL]);
    const intake = await bearer(f.ds, 'intake');
    const res = await fetch(`${f.svc.url}/v1/intake/email`, { method: 'POST', body: new Uint8Array(spam(3)), headers: { authorization: intake, 'content-type': 'message/rfc822' } });
    await waitForSubmission(f.ds, ((await res.json()) as { id: string }).id);
    expect(await f.ds.query(`SELECT id FROM notifications WHERE channel = 'fbl'`)).to.deep.equal([]);
  });
});
