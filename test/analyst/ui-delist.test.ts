import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { useTestService } from '../helpers/service.ts';
import { createUser } from '../../shared/users/users.ts';
import { Browserless } from './ui-login.ts';

describe('UI delist queue: approve / deny with a reason', () => {
  const t = useTestService({ ROLES: 'api' });
  let b: Browserless;

  beforeEach(async () => {
    await createUser(t.ds, 'desk@example.test', 'analyst', 'correct horse battery');
    b = new Browserless(t.svc.url);
    expect((await b.login('desk@example.test', 'correct horse battery')).status).to.equal(303);
  });

  async function queued(ip: string): Promise<string> {
    const id = randomUUID();
    await t.ds.query(`INSERT INTO listings (ip, listed_at, reasons) VALUES ($1, now(), '["score"]')`, [ip]);
    await t.ds.query(
      `INSERT INTO delist_requests (id, ip, email, token_sha256, created_at, expires_at, used_at, status, reasons)
       VALUES ($1::uuid, $2::inet, 'postmaster@sender.example', md5($3) || md5($2::text), now(), now() + interval '1 day', now(), 'queued', '["delisted 3 times in 30 days"]')`,
      [id, ip, id],
    );
    return id;
  }

  it('lists queued requests and approves one: the listing is removed and the history records who', async () => {
    const id = await queued('203.0.113.50');
    const page = await (await b.fetch('/ui/delist')).text();
    expect(page).to.include('203.0.113.50').and.include('delisted 3 times in 30 days');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
    const res = await b.post(`/ui/delist/${id}/decision`, { _csrf: csrf, decision: 'approve', reason: 'sender fixed the open relay' });
    expect(res.status).to.equal(303);
    const [r] = await t.ds.query(`SELECT status, decided_by, decision_reason FROM delist_requests WHERE id = $1`, [id]);
    expect(r).to.deep.equal({ status: 'approved', decided_by: 'user:desk@example.test', decision_reason: 'sender fixed the open relay' });
    expect(await t.ds.query(`SELECT 1 FROM listings WHERE ip = '203.0.113.50'`)).to.have.length(0);
    expect(await (await b.fetch('/ui/delist')).text()).to.include('Approved: 203.0.113.50.');
  });

  it('denies with a reason and keeps the listing; refuses without CSRF or without a reason', async () => {
    const id = await queued('203.0.113.51');
    expect((await b.post(`/ui/delist/${id}/decision`, { decision: 'deny', reason: 'still spamming' })).status).to.equal(403);
    const csrf = await b.csrfFrom('/ui/delist');
    await b.post(`/ui/delist/${id}/decision`, { _csrf: csrf, decision: 'deny', reason: '' });
    expect((await t.ds.query(`SELECT status FROM delist_requests WHERE id = $1`, [id]))[0].status).to.equal('queued');
    await b.post(`/ui/delist/${id}/decision`, { _csrf: csrf, decision: 'deny', reason: 'still spamming' });
    expect((await t.ds.query(`SELECT status FROM delist_requests WHERE id = $1`, [id]))[0].status).to.equal('denied');
    expect(await t.ds.query(`SELECT 1 FROM listings WHERE ip = '203.0.113.51'`)).to.have.length(1);
  });
});

describe('UI IP page: remove a listing', () => {
  const t = useTestService({ ROLES: 'api' });

  it('removes the listing with a reason and records a manual history entry', async () => {
    await createUser(t.ds, 'ops@example.test', 'analyst', 'correct horse battery');
    await t.ds.query(`INSERT INTO listings (ip, listed_at, reasons) VALUES ('203.0.113.60', now(), '["score"]')`);
    const b = new Browserless(t.svc.url);
    await b.login('ops@example.test', 'correct horse battery');
    const csrf = await b.csrfFrom('/ui/ips/203.0.113.60');
    expect((await b.post('/ui/ips/203.0.113.60/unlist', { _csrf: csrf, reason: 'x' })).status).to.equal(303);
    expect(await t.ds.query(`SELECT 1 FROM listings WHERE ip = '203.0.113.60'`)).to.have.length(1);
    await b.post('/ui/ips/203.0.113.60/unlist', { _csrf: csrf, reason: 'confirmed false positive' });
    expect(await t.ds.query(`SELECT 1 FROM listings WHERE ip = '203.0.113.60'`)).to.have.length(0);
    const [h] = await t.ds.query(`SELECT action, actor, reason FROM listing_history WHERE ip = '203.0.113.60'`);
    expect(h).to.deep.equal({ action: 'manual', actor: 'user:ops@example.test', reason: 'manual: confirmed false positive' });
    expect(await (await b.fetch('/ui/ips/203.0.113.60')).text()).to.include('Listing of 203.0.113.60 removed.');
  });
});
