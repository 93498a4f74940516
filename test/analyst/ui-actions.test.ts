import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { bearer, useTestService } from '../helpers/service.ts';
import { createUser } from '../../shared/users/users.ts';
import { Browserless } from './ui-login.ts';
import { act, confirmationForm } from './ui-forms.ts';

/**
 * Every analyst action from the UI: a form, a confirmation page that changes nothing, the
 * confirmed post that does it (as the signed-in user), an analyst_audit row in the same
 * transaction, and refusals without a CSRF token or a reason. The JSON API audits the same way.
 */
describe('UI actions: confirm, act, audit', () => {
  const t = useTestService({ ROLES: 'api' });
  let b: Browserless;
  const ME = 'user:desk@example.test';

  beforeEach(async () => {
    await createUser(t.ds, 'desk@example.test', 'analyst', 'correct horse battery');
    b = new Browserless(t.svc.url);
    expect((await b.login('desk@example.test', 'correct horse battery')).status).to.equal(303);
  });

  const audit = () => t.ds.query(`SELECT actor, action, subject_kind, subject_key, reason FROM analyst_audit ORDER BY id`);
  const listed = async (ip: string) => (await t.ds.query(`SELECT 1 FROM listings WHERE ip = $1::inet`, [ip])).length === 1;
  const flashOn = async (path: string) => (await (await b.fetch(path)).text());

  async function queued(ip: string): Promise<string> {
    const id = randomUUID();
    await t.ds.query(`INSERT INTO listings (ip, listed_at, reasons) VALUES ($1, now(), '["score"]') ON CONFLICT DO NOTHING`, [ip]);
    await t.ds.query(
      `INSERT INTO delist_requests (id, ip, email, token_sha256, created_at, expires_at, used_at, status, reasons)
       VALUES ($1::uuid, $2::inet, 'postmaster@sender.example', md5($3) || md5($2::text), now(), now() + interval '1 day', now(), 'queued', '["delisted 3 times in 30 days"]')`,
      [id, ip, id],
    );
    return id;
  }

  describe('list and unlist an IP', () => {
    it('lists an IP only after confirmation, with history and audit', async () => {
      const { confirmation, done } = await act(b, '/ui/ips/198.51.100.5', '/ui/ips/198.51.100.5/list', { reason: 'snowshoe <range> & co' }, async () => {
        expect(await listed('198.51.100.5'), 'nothing is done before the confirmation').to.equal(false);
        expect(await audit()).to.deep.equal([]);
      });
      expect(confirmation).to.include('Confirm: List an IP').and.include('snowshoe &lt;range&gt; &amp; co').and.not.include('<range>');
      expect(done.status).to.equal(303);
      expect(done.headers.get('location')).to.equal('/ui/ips/198.51.100.5');
      expect(await listed('198.51.100.5')).to.equal(true);
      const [h] = await t.ds.query(`SELECT action, actor, reason FROM listing_history WHERE ip = '198.51.100.5'`);
      expect(h).to.deep.equal({ action: 'manual', actor: ME, reason: 'manual: snowshoe <range> & co (no expiry)' });
      expect((await t.ds.query(`SELECT manual, expires_at FROM listings WHERE ip = '198.51.100.5'`))[0]).to.deep.equal({ manual: true, expires_at: null });
      expect(await audit()).to.deep.equal([{ actor: ME, action: 'ip.list', subject_kind: 'ip', subject_key: '198.51.100.5', reason: 'snowshoe <range> & co' }]);
      const page = await flashOn('/ui/ips/198.51.100.5');
      expect(page).to.include('Listed 198.51.100.5.').and.include('Remove listing…').and.include('ip.list');
    });

    it('lists with an end time from the form (UTC), carried through the confirmation; refuses one in the past', async () => {
      const until = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 16);
      const { confirmation } = await act(b, '/ui/ips/198.51.100.8', '/ui/ips/198.51.100.8/list', { reason: 'a week of snowshoe', expiresAt: until });
      expect(confirmation).to.include(`until ${until.replace('T', ' ')}:00Z`);
      const [l] = await t.ds.query(`SELECT manual, expires_at FROM listings WHERE ip = '198.51.100.8'`);
      expect(l.manual).to.equal(true);
      expect(l.expires_at.toISOString()).to.equal(`${until}:00.000Z`);
      const [a] = await t.ds.query(`SELECT detail FROM analyst_audit WHERE subject_key = '198.51.100.8'`);
      expect(a.detail).to.deep.equal({ created: true, expiresAt: `${until}:00.000Z` });
      const csrf = await b.csrfFrom('/ui/ips/198.51.100.10');
      await b.post('/ui/ips/198.51.100.10/list', { _csrf: csrf, reason: 'too late', expiresAt: '2020-01-01T00:00' });
      expect(await flashOn('/ui/ips/198.51.100.10')).to.include('Error: expiresAt: must be in the future');
      expect(await listed('198.51.100.10')).to.equal(false);
    });

    it('refuses a platform address before asking to confirm, and a short reason', async () => {
      await t.ds.query(`INSERT INTO reputation_subjects (kind, key, score, updated_at, platform) VALUES ('ip', '40.107.9.9', 0, now(), true)`);
      const csrf = await b.csrfFrom('/ui/ips/40.107.9.9');
      const res = await b.post('/ui/ips/40.107.9.9/list', { _csrf: csrf, reason: 'looks bad' });
      expect(res.status).to.equal(303);
      expect(await flashOn('/ui/ips/40.107.9.9')).to.include('is a platform address and is never listed');
      await b.post('/ui/ips/198.51.100.6/list', { _csrf: csrf, reason: 'x', confirm: 'yes' });
      expect(await flashOn('/ui/ips/198.51.100.6')).to.include('Error: reason: must have at least 3 characters');
      expect(await listed('40.107.9.9')).to.equal(false);
      expect(await listed('198.51.100.6')).to.equal(false);
      expect(await audit()).to.deep.equal([]);
    });

    it('removes a listing after confirmation; refuses without CSRF', async () => {
      await t.ds.query(`INSERT INTO listings (ip, listed_at, reasons) VALUES ('203.0.113.60', now(), '["score"]')`);
      const noCsrf = await b.post('/ui/ips/203.0.113.60/unlist', { reason: 'confirmed false positive', confirm: 'yes' });
      expect(noCsrf.status).to.equal(403);
      expect(await listed('203.0.113.60')).to.equal(true);
      const { done } = await act(b, '/ui/ips/203.0.113.60', '/ui/ips/203.0.113.60/unlist', { reason: 'confirmed false positive' }, async () => {
        expect(await listed('203.0.113.60')).to.equal(true);
      });
      expect(done.status).to.equal(303);
      expect(await listed('203.0.113.60')).to.equal(false);
      const [h] = await t.ds.query(`SELECT action, actor, reason FROM listing_history WHERE ip = '203.0.113.60'`);
      expect(h).to.deep.equal({ action: 'manual', actor: ME, reason: 'manual: confirmed false positive' });
      expect(await audit()).to.deep.equal([{ actor: ME, action: 'ip.unlist', subject_kind: 'ip', subject_key: '203.0.113.60', reason: 'confirmed false positive' }]);
      expect(await flashOn('/ui/ips/203.0.113.60')).to.include('Listing of 203.0.113.60 removed.');
    });

    it('the JSON API writes the same audit row, as the key', async () => {
      const key = await bearer(t.ds, 'analyst');
      const send = (method: string, reason: string) => fetch(`${t.svc.url}/v1/listings/198.51.100.9`, { method, headers: { authorization: key, 'content-type': 'application/json' }, body: JSON.stringify({ reason }) });
      expect((await send('POST', 'api listing')).status).to.equal(201);
      expect((await send('DELETE', 'api removal')).status).to.equal(200);
      const rows: { actor: string; action: string; reason: string }[] = await audit();
      expect(rows.map((r) => [r.action, r.reason])).to.deep.equal([['ip.list', 'api listing'], ['ip.unlist', 'api removal']]);
      const keyId = /^Bearer ak_([a-z0-9]{12})_/.exec(key)![1];
      expect(rows.map((r) => r.actor)).to.deep.equal([`analyst:${keyId}`, `analyst:${keyId}`]);
    });
  });

  describe('delist requests', () => {
    it('approves a queued request after confirmation: listing removed, request, history, both audits', async () => {
      const id = await queued('203.0.113.50');
      const page = await (await b.fetch('/ui/delist')).text();
      expect(page).to.include('203.0.113.50').and.include('delisted 3 times in 30 days');
      const { confirmation, done } = await act(b, '/ui/delist', `/ui/delist/${id}/decision`, { decision: 'approve', reason: 'sender fixed the open relay' }, async () => {
        expect((await t.ds.query(`SELECT status FROM delist_requests WHERE id = $1`, [id]))[0].status).to.equal('queued');
      });
      expect(confirmation).to.include('Approve the request');
      expect(done.status).to.equal(303);
      const [r] = await t.ds.query(`SELECT status, decided_by, decision_reason FROM delist_requests WHERE id = $1`, [id]);
      expect(r).to.deep.equal({ status: 'approved', decided_by: ME, decision_reason: 'sender fixed the open relay' });
      expect(await listed('203.0.113.50')).to.equal(false);
      expect(await t.ds.query(`SELECT action FROM delist_audit WHERE request_id = $1`, [id])).to.deep.equal([{ action: 'approved' }]);
      expect(await audit()).to.deep.equal([{ actor: ME, action: 'delist.approve', subject_kind: 'delist-request', subject_key: id, reason: 'sender fixed the open relay' }]);
      expect(await flashOn('/ui/delist')).to.include('Approved: 203.0.113.50.');
    });

    it('denies and keeps the listing; refuses without CSRF, without a reason, and a second decision', async () => {
      const id = await queued('203.0.113.51');
      expect((await b.post(`/ui/delist/${id}/decision`, { decision: 'deny', reason: 'still spamming', confirm: 'yes' })).status).to.equal(403);
      const csrf = await b.csrfFrom('/ui/delist');
      await b.post(`/ui/delist/${id}/decision`, { _csrf: csrf, decision: 'deny', reason: '', confirm: 'yes' });
      expect((await t.ds.query(`SELECT status FROM delist_requests WHERE id = $1`, [id]))[0].status).to.equal('queued');
      const { done } = await act(b, '/ui/delist', `/ui/delist/${id}/decision`, { decision: 'deny', reason: 'still spamming', return: '/ui/delist?status=all' });
      expect(done.headers.get('location')).to.equal('/ui/delist?status=all');
      expect((await t.ds.query(`SELECT status FROM delist_requests WHERE id = $1`, [id]))[0].status).to.equal('denied');
      expect(await listed('203.0.113.51')).to.equal(true);
      const again = await b.post(`/ui/delist/${id}/decision`, { _csrf: await b.csrfFrom('/ui/delist'), decision: 'approve', reason: 'changed my mind', confirm: 'yes' });
      expect(again.status).to.equal(303);
      expect(await flashOn('/ui/delist')).to.include('only queued requests can be decided');
      expect((await audit()).map((a: { action: string }) => a.action)).to.deep.equal(['delist.deny']);
    });

    it('never redirects off the site through the return field', async () => {
      const id = await queued('203.0.113.52');
      const csrf = await b.csrfFrom('/ui/delist');
      const res = await b.post(`/ui/delist/${id}/decision`, { _csrf: csrf, decision: 'deny', reason: 'nope', return: '//evil.example/x' });
      expect(confirmationForm(await res.text()).fields.return).to.equal('/ui/delist');
    });
  });

  describe('tenant flag', () => {
    it('clears an open flag after confirmation, with the reason in the flag and the audit', async () => {
      await t.ds.query(`INSERT INTO tenant_flags (tenant_id, flagged_at, score, reasons) VALUES ('contoso', now(), 9.5, '["score 9.5 over 8"]')`);
      const page = await flashOn('/ui/tenants/contoso');
      expect(page).to.include('Clear flag…').and.include('score 9.5 over 8');
      const { done } = await act(b, '/ui/tenants/contoso', '/ui/tenants/contoso/clear-flag', { reason: 'tenant suspended the account' }, async () => {
        expect((await t.ds.query(`SELECT cleared_at FROM tenant_flags`))[0].cleared_at).to.equal(null);
      });
      expect(done.headers.get('location')).to.equal('/ui/tenants/contoso');
      const [flag] = await t.ds.query(`SELECT cleared_at, reasons FROM tenant_flags`);
      expect(flag.cleared_at).to.be.instanceOf(Date);
      expect(flag.reasons).to.deep.equal(['score 9.5 over 8', `cleared by ${ME}: tenant suspended the account`]);
      expect(await audit()).to.deep.equal([{ actor: ME, action: 'tenant-flag.clear', subject_kind: 'tenant', subject_key: 'contoso', reason: 'tenant suspended the account' }]);
      expect(await flashOn('/ui/tenants/contoso')).to.include('Flag of contoso cleared.').and.include('Flag cleared');
    });

    it('says so when there is no open flag, and audits nothing', async () => {
      const { done } = await act(b, '/ui/tenants/fabrikam', '/ui/tenants/fabrikam/clear-flag', { reason: 'nothing to clear' });
      expect(done.status).to.equal(303);
      expect(await flashOn('/ui/tenants/fabrikam')).to.include('Error: tenant fabrikam has no open flag');
      expect(await audit()).to.deep.equal([]);
    });
  });

  describe('notifications', () => {
    it('pauses and resumes a tenant\'s notifications, each confirmed and audited once', async () => {
      const { done } = await act(b, '/ui/tenants/contoso', '/ui/tenants/contoso/notifications/pause', { reason: 'tenant asked for a week off' }, async () => {
        expect(await t.ds.query(`SELECT 1 FROM notify_state WHERE paused_at IS NOT NULL`)).to.deep.equal([]);
      });
      expect(done.headers.get('location')).to.equal('/ui/tenants/contoso#notifications');
      expect((await t.ds.query(`SELECT paused_by FROM notify_state WHERE tenant_id = 'contoso' AND paused_at IS NOT NULL`))[0].paused_by).to.equal(ME);
      const page = await flashOn('/ui/tenants/contoso');
      expect(page).to.include('Notifications to contoso paused.').and.include('Resume notifications…');
      await act(b, '/ui/tenants/contoso', '/ui/tenants/contoso/notifications/resume', {});
      expect(await t.ds.query(`SELECT 1 FROM notify_state WHERE paused_at IS NOT NULL`)).to.deep.equal([]);
      // Resuming what runs changes nothing and is not audited.
      await act(b, '/ui/tenants/contoso', '/ui/tenants/contoso/notifications/resume', {});
      expect(await flashOn('/ui/tenants/contoso')).to.include('were already running');
      expect(await audit()).to.deep.equal([
        { actor: ME, action: 'notifications.pause', subject_kind: 'tenant', subject_key: 'contoso', reason: 'tenant asked for a week off' },
        { actor: ME, action: 'notifications.resume', subject_kind: 'tenant', subject_key: 'contoso', reason: null },
      ]);
    });

    it('re-drives a failed notification from the list; a sent one is refused', async () => {
      const failed = randomUUID();
      const sent = randomUUID();
      await t.ds.query(
        `INSERT INTO notifications (id, tenant_id, channel, recipients, status, attempts, last_error, generation) VALUES
           ($1, 'contoso', 'arf', '{abuse@contoso.example}', 'failed', 5, '451 try later', 0),
           ($2, 'contoso', 'arf', '{abuse@contoso.example}', 'sent', 1, NULL, 0)`,
        [failed, sent],
      );
      const list = await flashOn('/ui/notifications?status=failed');
      expect(list).to.include('451 try later').and.include(`/ui/notifications/${failed}/redrive`).and.not.include(`/ui/notifications/${sent}/redrive`);
      const { done } = await act(b, '/ui/notifications?status=failed', `/ui/notifications/${failed}/redrive`, { return: '/ui/notifications?status=failed' }, async () => {
        expect((await t.ds.query(`SELECT status FROM notifications WHERE id = $1`, [failed]))[0].status).to.equal('failed');
      });
      expect(done.headers.get('location')).to.equal('/ui/notifications?status=failed');
      const [n] = await t.ds.query(`SELECT status, attempts, generation, trigger FROM notifications WHERE id = $1`, [failed]);
      expect(n).to.deep.equal({ status: 'queued', attempts: 0, generation: 1, trigger: 'manual' });
      const [a] = await t.ds.query(`SELECT actor, action, subject_key, detail FROM analyst_audit`);
      expect(a).to.deep.equal({ actor: ME, action: 'notification.redrive', subject_key: failed, detail: { tenant: 'contoso', was: 'failed' } });
      await act(b, '/ui/notifications', `/ui/notifications/${sent}/redrive`, {});
      expect(await flashOn('/ui/notifications')).to.include('is not failed or held');
      expect((await t.ds.query(`SELECT status FROM notifications WHERE id = $1`, [sent]))[0].status).to.equal('sent');
      expect(await t.ds.query(`SELECT 1 FROM analyst_audit`)).to.have.length(1);
    });
  });

  it('the audit page lists every action with its subject, filterable', async () => {
    await act(b, '/ui/ips/198.51.100.7', '/ui/ips/198.51.100.7/list', { reason: 'first' });
    await act(b, '/ui/ips/198.51.100.7', '/ui/ips/198.51.100.7/unlist', { reason: 'second' });
    const all = await flashOn('/ui/audit');
    expect(all).to.include('2 actions').and.include('ip.list').and.include('ip.unlist');
    const only = await flashOn('/ui/audit?action=ip.unlist');
    expect(only).to.include('1 action').and.include('second').and.not.include('>first<');
  });
});
