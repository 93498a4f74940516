import { expect } from 'chai';
import { bearer, useTestService } from '../helpers/service.ts';
import { waitUntil } from '../helpers/db.ts';
import { createUser } from '../../shared/users/users.ts';
import { Browserless } from '../analyst/ui-login.ts';
import { intakeChannel } from './channels.ts';
import { spamFrom, waitAllProcessed } from './helpers.ts';

const IP = '198.51.100.70';

describe('analysts change a report\'s trust: POST /v1/reports/:id/trust', () => {
  const f = useTestService({ ROLES: 'api,worker', LIST_THRESHOLD: '2.9', LIST_MIN_REPORTERS: '3' });

  const analyst = async () => ({ authorization: await bearer(f.ds, 'analyst'), 'content-type': 'application/json' });
  const setTrust = async (id: string, body: unknown, headers?: Record<string, string>) =>
    fetch(`${f.svc.url}/v1/reports/${id}/trust`, { method: 'POST', headers: headers ?? (await analyst()), body: JSON.stringify(body) });
  const lookup = async () => (await (await fetch(`${f.svc.url}/v1/lookup/${IP}`, { headers: { authorization: await bearer(f.ds, 'platform') } })).json()) as { listed: boolean; score: number };
  const pending = async () => ((await f.ds.query(`SELECT count(*)::int AS n FROM report_trust_changes WHERE applied_at IS NULL`)) as { n: number }[])[0]!.n;
  const settled = () => waitUntil(async () => ((await pending()) === 0 ? true : undefined), 'the trust changes to be applied');

  /** Three reports through an anonymous-trust key (a partner whose reporters nobody checked), processed. */
  const threeUnverified = async () => {
    const partner = await intakeChannel(f.svc, f.ds, { trust: 'anonymous' });
    for (let i = 0; i < 3; i++) await partner.send(`user${i}@partner.example`, spamFrom(IP, `a${i}`));
    await waitAllProcessed(f.ds, 3);
    return ((await f.ds.query(`SELECT id FROM reports ORDER BY received_at, id`)) as { id: string }[]).map((r) => r.id);
  };

  it('promotion applies each report\'s effect once (audited); demotion withdraws it, recorded, and never ends the listing; promotion again restores it', async () => {
    const ids = await threeUnverified();
    expect((await lookup()).score).to.equal(0);
    for (const id of ids) {
      const res = await setTrust(id, { trust: 'verified', reason: 'called the reporter' });
      expect(res.status).to.equal(200);
      expect(await res.json()).to.deep.include({ id, trust: 'verified', previous: 'anonymous', changed: true });
    }
    await waitUntil(async () => ((await lookup()).listed ? true : undefined), 'three promoted reports to list the IP');
    await settled();
    const again = await (await setTrust(ids[0]!, { trust: 'verified', reason: 'once more' })).json();
    expect(again).to.deep.include({ changed: false, changeId: null });
    const history = (await (await fetch(`${f.svc.url}/v1/reports/${ids[0]}/trust`, { headers: await analyst() })).json()) as { trust: string; counts: boolean; history: { to: string; actor: string; reason: string; appliedAt: string | null; effect: string }[] };
    expect(history).to.deep.include({ trust: 'verified', counts: true });
    expect(history.history).to.have.length(1);
    expect(history.history[0]).to.deep.include({ to: 'verified', reason: 'called the reporter' });
    expect(history.history[0]!.actor).to.match(/^analyst:/);
    expect(history.history[0]!.appliedAt).to.be.a('string');
    expect(history.history[0]!.effect).to.include('applied');
    const listedScore = (await lookup()).score;

    expect((await setTrust(ids[0]!, { trust: 'anonymous', reason: 'the reporter was a sock puppet' })).status).to.equal(200);
    await settled();
    const [w]: { withdrawn_reason: string }[] = await f.ds.query(`SELECT withdrawn_reason FROM reputation_events WHERE report_id = $1 AND kind = 'ip'`, [ids[0]]);
    expect(w!.withdrawn_reason).to.match(/withdrawn: trust now anonymous.*sock puppet/);
    const demoted = await lookup();
    expect(demoted.listed).to.equal(true); // only expiry, the delist rules or an analyst end a listing
    expect(demoted.score).to.be.closeTo(listedScore - 1, 0.01);
    const [{ n }] = await f.ds.query(`SELECT count(*)::int AS n FROM reputation_reporters WHERE kind = 'ip' AND key = $1`, [IP]);
    expect(n).to.equal(2);

    expect((await setTrust(ids[0]!, { trust: 'platform', reason: 'it was our own relay after all' })).status).to.equal(200);
    await settled();
    expect((await lookup()).score).to.be.closeTo(listedScore, 0.01);
    const [{ active }] = await f.ds.query(`SELECT count(*)::int AS active FROM reputation_events WHERE report_id = $1 AND withdrawn_at IS NULL`, [ids[0]]);
    expect(active).to.equal(2); // ip and domain, restored rather than written twice
  });

  it('validates the request at the edge, naming the parameter, and is for analysts only', async () => {
    const [id] = await threeUnverified();
    const bad = await setTrust(id!, { trust: 'trusted', reason: 'x' });
    expect(bad.status).to.equal(400);
    expect(bad.headers.get('content-type')).to.include('application/problem+json');
    expect(((await bad.json()) as { details: { problems: { field: string }[] } }).details.problems.map((p) => p.field)).to.include.members(['trust', 'reason']);
    const feed = await setTrust(id!, { trust: 'feed', reason: 'make it a feed' });
    expect(feed.status).to.equal(400);
    expect(((await feed.json()) as { detail: string }).detail).to.include('bound to a feedback loop');
    expect((await setTrust('00000000-0000-4000-8000-000000000000', { trust: 'verified', reason: 'nobody' })).status).to.equal(404);
    expect((await setTrust(id!, { trust: 'verified', reason: 'no key' }, { 'content-type': 'application/json' })).status).to.equal(401);
    expect((await setTrust(id!, { trust: 'verified', reason: 'wrong role' }, { authorization: await bearer(f.ds, 'platform'), 'content-type': 'application/json' })).status).to.equal(403);
    expect(await pending()).to.equal(0);
    const [{ n }] = await f.ds.query(`SELECT count(*)::int AS n FROM report_trust_changes`);
    expect(n).to.equal(0);
  });

  it('the UI marks unverified reports and filters by trust; the JSON list carries the same trust', async () => {
    const ids = await threeUnverified();
    await setTrust(ids[2]!, { trust: 'verified', reason: 'checked' });
    await settled();
    const json = (await (await fetch(`${f.svc.url}/v1/reports?trust=anonymous`, { headers: await analyst() })).json()) as { items: { id: string; reporterTrust: string }[] };
    expect(json.items.map((r) => r.id).sort()).to.deep.equal([ids[0], ids[1]].sort());
    expect(json.items.every((r) => r.reporterTrust === 'anonymous')).to.equal(true);

    await createUser(f.ds, 'ana@trust.example', 'analyst', 'correct horse battery');
    const ui = new Browserless(f.svc.url);
    expect((await ui.login('ana@trust.example', 'correct horse battery')).status).to.equal(303);
    const anonymous = await (await ui.fetch('/ui/reports?trust=anonymous')).text();
    expect(anonymous.match(/class="badge unverified"/g)).to.have.length(2);
    expect(anonymous).to.include('<option value="anonymous" selected>anonymous</option>');
    const verified = await (await ui.fetch('/ui/reports?trust=verified')).text();
    expect(verified.match(/class="badge trust-verified"/g)).to.have.length(1);
    expect(verified).not.to.include('badge unverified');
    const detail = await (await ui.fetch(`/ui/reports/${ids[0]}`)).text();
    expect(detail).to.match(/id="reporter-trust"><span class="badge unverified"/);
  });
});
