import { expect } from 'chai';
import { bearer } from '../helpers/service.ts';
import { linkIn } from './form-client.ts';
import { local, signIn, useOwnerService } from './owner-fixture.ts';

const OWNER = 'ops@sender.example';
type Range = { id: string; cidr: string; status: string; method: string | null; ptr_domains: string[]; mailed_to: string | null };
const ranges = (ds: { query: (q: string) => Promise<Range[]> }) => ds.query(`SELECT id, cidr::text AS cidr, status, method, ptr_domains, mailed_to FROM sender_ranges ORDER BY created_at`);

describe('sender data: owners and access requests (PTR proof against a loopback DNS server, analyst approval)', function () {
  this.timeout(30_000);
  const f = useOwnerService({ SENDER_PTR_SAMPLE: '4' });

  it('signs an owner in by a single-use mailed link; the GET only shows, the POST signs in, a second POST fails', async () => {
    const client = await signIn(f, OWNER);
    const page = await client.get('/sender/data');
    expect(page.text).to.contain(`Signed in as ${OWNER}`);
    const mail = f.smtp.mails.at(-1)!;
    const again = await client.get(local(linkIn(mail.text, '/sender/data/signin')));
    expect(again.status).to.equal(404); // used
    const [{ n }] = await f.ds.query(`SELECT count(*)::int AS n FROM sender_owner_sessions`);
    expect(n).to.equal(1);
  });

  it('looks up the PTRs of N addresses spread over the range, offers postmaster@/abuse@ of a domain naming most of them, and grants the range when the mailbox confirms', async () => {
    // SENDER_PTR_SAMPLE=4 over a /24: .0, .85, .170 and .255.
    f.dns.records.set('198.51.100.0', 'mta0.out.mail.sender-co.example');
    f.dns.records.set('198.51.100.85', 'mta85.out.mail.sender-co.example');
    f.dns.records.set('198.51.100.170', 'mta170.out.mail.sender-co.example');
    f.dns.records.set('198.51.100.255', 'bcast.other.example'); // one of four: offers nothing
    f.dns.records.set('198.51.100.1', 'never-sampled.third.example');
    const client = await signIn(f, OWNER);
    const asked = await client.post('/sender/data/ranges', { range: '198.51.100.77/24' });
    expect(asked.status).to.equal(200);
    expect(f.dns.queries).to.include.members(['0.100.51.198.in-addr.arpa', '85.100.51.198.in-addr.arpa', '170.100.51.198.in-addr.arpa', '255.100.51.198.in-addr.arpa']);
    expect(f.dns.queries).to.not.include('1.100.51.198.in-addr.arpa');
    const [r] = await ranges(f.ds);
    expect(r).to.include({ cidr: '198.51.100.0/24', status: 'pending' });
    expect(r!.ptr_domains).to.deep.equal(['sender-co.example']);
    expect(asked.text).to.contain('postmaster@sender-co.example').and.contain('abuse@sender-co.example');
    expect(asked.text).to.not.contain('other.example');

    // An address that was not offered is refused and nothing is mailed.
    const mailsBefore = f.smtp.mails.length;
    const bad = await client.post(`/sender/data/ranges/${r!.id}/mail`, { to: 'me@attacker.example' });
    expect(bad.status).to.equal(400);
    expect(f.smtp.mails.length).to.equal(mailsBefore);

    const mailed = await client.post(`/sender/data/ranges/${r!.id}/mail`, { to: 'postmaster@sender-co.example' });
    expect(mailed.status).to.equal(200);
    const [proof] = (await f.smtp.waitFor(mailsBefore + 1)).slice(mailsBefore);
    expect(proof!.to).to.deep.equal(['postmaster@sender-co.example']);
    const link = local(linkIn(proof!.text, '/sender/data/verify'));

    // A scanner opening the link changes nothing.
    const shown = await client.get(link);
    expect(shown.status).to.equal(200);
    expect(shown.text).to.contain('198.51.100.0/24').and.contain(OWNER);
    expect((await ranges(f.ds))[0]!.status).to.equal('pending');

    const token = /name="token" value="([^"]+)"/.exec(shown.text)![1]!;
    const granted = await client.post('/sender/data/verify', { token }, shown.text);
    expect(granted.status).to.equal(200);
    expect(granted.text).to.contain('data-status="verified"');
    expect((await ranges(f.ds))[0]).to.include({ status: 'verified', method: 'ptr' });
    const replay = await client.post('/sender/data/verify', { token }, shown.text);
    expect(replay.status).to.equal(404);
  });

  it('a customer who controls the PTRs of a few addresses of a provider\'s /24 is not offered a mailbox for the whole /24', async () => {
    f.dns.records.clear();
    // The customer's delegated /29 at the start of the block (the first addresses, as the old sample read them)…
    for (let i = 0; i < 8; i++) f.dns.records.set(`192.0.2.${i}`, `host${i}.customer-attacker.example`);
    // …and the provider's names on some of the rest: neither covers three quarters of the spread sample.
    f.dns.records.set('192.0.2.170', 'static-170.isp-provider.example');
    const client = await signIn(f, 'spy@customer-attacker.example');
    const asked = await client.post('/sender/data/ranges', { range: '192.0.2.0/24' });
    expect(asked.status).to.equal(200);
    const mine = (await ranges(f.ds)).find((x) => x.cidr === '192.0.2.0/24')!;
    expect(mine.ptr_domains).to.deep.equal([]);
    expect(asked.text).to.not.contain('postmaster@customer-attacker.example');
    expect(asked.text).to.contain('three quarters');
    // Its own /29 it can prove: every address of it is named in its domain.
    const own = await client.post('/sender/data/ranges', { range: '192.0.2.0/29' });
    expect(own.status).to.equal(200);
    expect((await ranges(f.ds)).find((x) => x.cidr === '192.0.2.0/29')!.ptr_domains).to.deep.equal(['customer-attacker.example']);
  });

  it('refuses ranges wider than /24 or /48, non-public ranges and nonsense with a clear message', async () => {
    const client = await signIn(f, OWNER);
    const wide = await client.post('/sender/data/ranges', { range: '198.51.100.0/23' });
    expect(wide.status).to.equal(400);
    expect(wide.text).to.contain('too wide').and.contain('/24');
    const wide6 = await client.post('/sender/data/ranges', { range: '2001:db8::/47' });
    expect(wide6.text).to.contain('/48');
    const priv = await client.post('/sender/data/ranges', { range: '10.1.2.3' });
    expect(priv.text).to.contain('not a public range');
    const junk = await client.post('/sender/data/ranges', { range: '<script>x</script>' });
    expect(junk.status).to.equal(400);
    expect(junk.text).to.not.contain('<script>x');
    expect(await ranges(f.ds)).to.deep.equal([]);
  });

  it('leaves a range without PTR names to analysts: listed, approved once (409 the second time), or rejected', async () => {
    const client = await signIn(f, OWNER);
    await client.post('/sender/data/ranges', { range: '203.0.113.9' });
    await client.post('/sender/data/ranges', { range: '2001:db8:7::/48' });
    const analyst = await bearer(f.ds, 'analyst');
    const list = await fetch(`${f.svc.url}/v1/sender-ranges`, { headers: { authorization: analyst } });
    const body = (await list.json()) as { ranges: { id: string; range: string; owner: string; ptrDomains: string[] }[] };
    expect(body.ranges.map((r) => r.range).sort()).to.deep.equal(['2001:db8:7::/48', '203.0.113.9/32']);
    expect(body.ranges.every((r) => r.owner === OWNER && r.ptrDomains.length === 0)).to.equal(true);
    const v4 = body.ranges.find((r) => r.range === '203.0.113.9/32')!;
    const v6 = body.ranges.find((r) => r.range === '2001:db8:7::/48')!;
    const post = (path: string, key = analyst) => fetch(`${f.svc.url}${path}`, { method: 'POST', headers: { authorization: key, 'content-type': 'application/json' }, body: JSON.stringify({ note: 'checked the allocation' }) });
    expect((await post(`/v1/sender-ranges/${v4.id}/approve`, await bearer(f.ds, 'intake'))).status).to.equal(403);
    const ok = await post(`/v1/sender-ranges/${v4.id}/approve`);
    expect(ok.status).to.equal(200);
    expect(await ok.json()).to.include({ status: 'verified', method: 'analyst' });
    expect((await post(`/v1/sender-ranges/${v4.id}/reject`)).status).to.equal(409);
    expect((await post(`/v1/sender-ranges/${v6.id}/reject`)).status).to.equal(200);
    const page = await client.get('/sender/data');
    expect(page.text).to.match(/data-range="203.0.113.9\/32" data-status="verified"/).and.match(/data-range="2001:db8:7::\/48" data-status="rejected"/);
  });

  it('refuses a form without the CSRF token', async () => {
    const res = await fetch(`${f.svc.url}/sender/data/signin`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'email=a%40b.example' });
    expect(res.status).to.equal(403);
    expect(f.smtp.mails.length).to.equal(0);
  });
});
