import { expect } from 'chai';
import { bearer, startTestService, type ServiceFixture } from '../helpers/service.ts';
import { testDataSource, truncateAll } from '../helpers/db.ts';
import { startCaptureServer, type CaptureServer } from '../helpers/smtp-capture.ts';
import { runCli } from '../helpers/spawn-cli.ts';
import { sendRaw } from '../intake/smtp-client.ts';
import { hashToken } from '../../shared/trust/tokens.ts';
import { linkToken, openLink, spamFrom, waitAllProcessed } from './helpers.ts';

const ADDRESS = /id="personal-address">(report\+([a-z2-7]{26})@reports\.localhost)</;

describe('personal reporting addresses: /reporters, revocation by the reporter, an analyst and the CLI', () => {
  const f = {} as ServiceFixture & { capture: CaptureServer };
  before(async () => {
    f.capture = await startCaptureServer();
    f.svc = await startTestService({
      ROLES: 'api,smtp,worker', MAIL_RELAY_URL: f.capture.url, PUBLIC_URL: 'https://abuse.example', REDIS_PREFIX: `${process.env.REDIS_PREFIX}-reporters`,
    });
    f.ds = await testDataSource();
  });
  after(async () => {
    await f.svc?.stop();
    await f.ds?.destroy();
    await f.capture?.close();
  });
  beforeEach(async () => {
    await truncateAll(f.ds);
    f.capture.mails.splice(0);
  });

  /** Fills the /reporters form as a browser without JavaScript does; returns the mailed token. */
  const ask = async (email: string, action: 'issue' | 'revoke') => {
    const page = await fetch(`${f.svc.url}/reporters`);
    const cookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
    const before = f.capture.mails.length;
    const res = await fetch(`${f.svc.url}/reporters`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie }, body: new URLSearchParams({ _csrf: csrf, email, action }).toString(),
    });
    expect(res.status).to.equal(200);
    expect(await res.text()).to.include('data-status="mailed"');
    const mails = await f.capture.waitFor(before + 1);
    return linkToken(mails[before]!.text, '/reporters/confirm');
  };
  const smtp = (to: string, n: string) => sendRaw(f.svc.smtpPort!, { from: 'whoever@anywhere.example', to: [to], raw: spamFrom('198.51.100.90', n) });

  it('issues an address shown once (only its hash kept) that makes mail verified; a new one replaces it; the reporter revokes by a mailed link', async () => {
    const token = await ask('Jo+lists@Example.org', 'issue');
    expect(f.capture.mails[0]!.to).to.deep.equal(['jo+lists@example.org']);
    const page = await openLink(f.svc.url, '/reporters/confirm', token);
    expect(page.html).to.include('id="confirm"');
    expect((await f.ds.query(`SELECT count(*)::int AS n FROM reporters`))[0].n).to.equal(0); // a GET changes nothing
    const shown = await page.press();
    const [, address, addressToken] = ADDRESS.exec(shown.html)!;
    const [row] = await f.ds.query(`SELECT email, identity, token_sha256, revoked_at FROM reporters`);
    expect(row).to.deep.equal({ email: 'jo+lists@example.org', identity: 'jo@example.org', token_sha256: hashToken(addressToken!), revoked_at: null });
    expect((await page.press()).html).to.include('data-status="used"').and.not.match(ADDRESS);

    expect((await smtp(address!, 'r1')).ok).to.equal(true);
    await waitAllProcessed(f.ds, 1);
    const [s] = await f.ds.query(`SELECT reporter_trust, reporter_identity FROM submissions`);
    expect(s).to.deep.equal({ reporter_trust: 'verified', reporter_identity: 'jo@example.org' });

    const second = ADDRESS.exec((await (await openLink(f.svc.url, '/reporters/confirm', await ask('jo@example.org', 'issue'))).press()).html)![1]!;
    expect((await smtp(address!, 'r2')).code).to.equal(550);
    expect((await smtp(second, 'r3')).ok).to.equal(true);

    const revoked = await (await openLink(f.svc.url, '/reporters/confirm', await ask('JO@example.org', 'revoke'))).press();
    expect(revoked.html).to.include('data-status="revoked"');
    expect((await smtp(second, 'r4')).code).to.equal(550);
    const rows: { revoked_by: string }[] = await f.ds.query(`SELECT revoked_by FROM reporters ORDER BY created_at`);
    expect(rows.map((r) => r.revoked_by)).to.deep.equal(['reporter', 'reporter']);
  });

  it('analysts list and revoke addresses over the API; the CLI does the same', async () => {
    for (const who of ['ann@example.org', 'bob@example.org']) await (await openLink(f.svc.url, '/reporters/confirm', await ask(who, 'issue'))).press();
    const headers = { authorization: await bearer(f.ds, 'analyst'), 'content-type': 'application/json' };
    const list = (await (await fetch(`${f.svc.url}/v1/reporters?email=Ann%2Bx@Example.org`, { headers })).json()) as { items: { id: string; identity: string }[] };
    expect(list.items.map((r) => r.identity)).to.deep.equal(['ann@example.org']);
    const id = list.items[0]!.id;
    const revoke = () => fetch(`${f.svc.url}/v1/reporters/${id}/revoke`, { method: 'POST', headers, body: JSON.stringify({ reason: 'reports in bad faith' }) });
    expect((await revoke()).status).to.equal(200);
    expect((await revoke()).status).to.equal(409);
    expect((await fetch(`${f.svc.url}/v1/reporters/${id}/revoke`, { method: 'POST', headers: { ...headers, authorization: await bearer(f.ds, 'platform') }, body: '{"reason":"nope"}' })).status).to.equal(403);
    const [r] = await f.ds.query(`SELECT revoked_by, revoke_reason FROM reporters WHERE id = $1`, [id]);
    expect(r.revoked_by).to.match(/^analyst:/);
    expect(r.revoke_reason).to.equal('reports in bad faith');

    const listed = runCli(['reporters', 'list', '--status', 'live']);
    expect(listed.status, listed.stderr).to.equal(0);
    const live = listed.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; identity: string });
    expect(live.map((x) => x.identity)).to.deep.equal(['bob@example.org']);
    const cli = runCli(['reporters', 'revoke', live[0]!.id, '--reason', 'leaked']);
    expect(cli.status, cli.stderr).to.equal(0);
    expect(runCli(['reporters', 'revoke', live[0]!.id]).status).to.equal(1);
    expect(runCli(['reporters', 'revoke', 'not-a-uuid']).status).to.equal(2);
    expect((await f.ds.query(`SELECT count(*)::int AS n FROM reporters WHERE revoked_at IS NULL`))[0].n).to.equal(0);
  });

  it('refuses a bad address and holds the mail budget per normalised address', async () => {
    const page = await fetch(`${f.svc.url}/reporters`);
    const cookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
    const post = (email: string, token = csrf) => fetch(`${f.svc.url}/reporters`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie }, body: new URLSearchParams({ _csrf: token, email, action: 'issue' }).toString(),
    });
    const bad = await post('not an address');
    expect(bad.status).to.equal(400);
    expect(await bad.text()).to.include('id="form-error"');
    expect((await post('x@example.org', 'forged')).status).to.equal(403);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await post(`budget+${i}@example.org`)).status);
    expect(statuses).to.deep.equal([200, 200, 200, 200, 200, 429]); // CONFIRM_MAILS_PER_ADDRESS = 5
  });
});
