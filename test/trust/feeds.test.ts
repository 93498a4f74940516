import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { bearer, useTestService } from '../helpers/service.ts';
import { waitUntil } from '../helpers/db.ts';
import { testConfig } from '../helpers/config.ts';
import { sendRaw } from '../intake/smtp-client.ts';
import { reputationSettings } from '../../shared/reputation/settings.ts';
import { revokeByIdentity } from '../../shared/trust/reporters-store.ts';
import { expireListings } from '../../workers/reputation/expire-listings.ts';
import { arfReport, intakeChannel } from './channels.ts';
import { personalAddressFor, spamFrom, waitAllProcessed } from './helpers.ts';

const TENANCY = fileURLToPath(new URL('../fixtures/trust/trust-tenancy.yaml', import.meta.url));
const FEED_IP = '198.51.100.40';
const DAY = 86_400_000;

describe('feeds, platform relays and personal addresses: trust from the channel', () => {
  // A low threshold so three subscribers list; the shipped minimum of 3 distinct reporters.
  const f = useTestService({ ROLES: 'api,smtp,worker', TENANCY_FILE: TENANCY, LIST_THRESHOLD: '2.9', LIST_MIN_REPORTERS: '3', DELIST_THRESHOLD: '1' }, { keepTables: ['tenancy_state', 'tenants'] });
  const settings = () => reputationSettings(testConfig({ LIST_THRESHOLD: '2.9' }));

  const lookup = async (ip: string) =>
    (await (await fetch(`${f.svc.url}/v1/lookup/${ip}`, { headers: { authorization: await bearer(f.ds, 'platform') } })).json()) as { listed: boolean; score: number };
  const submissions = () =>
    f.ds.query(`SELECT s.reporter_trust, s.reporter_identity, s.feedback_loop, s.envelope_to, host(r.relay_ip) AS relay_ip, r.reporter_trust AS report_trust, r.evidence
                  FROM submissions s LEFT JOIN reports r ON r.submission_id = s.id ORDER BY s.received_at`) as Promise<
      { reporter_trust: string; reporter_identity: string | null; feedback_loop: string | null; envelope_to: string[]; relay_ip: string | null; report_trust: string; evidence: string[] }[]>;

  it('a bound feed (an intake key with --feedback-loop) lists from three subscribers, and only it retracts — which never ends the listing', async () => {
    const feed = await intakeChannel(f.svc, f.ds, { feedbackLoop: 'Example FBL' });
    const other = await intakeChannel(f.svc, f.ds, { feedbackLoop: 'Other FBL' });
    // The provider redacted the chain: only the bound feed's Source-IP names the sender.
    for (let i = 0; i < 3; i++) await feed.send(`subscriber${i}@feedback.example.net`, arfReport(FEED_IP, i, 'abuse', undefined, false));
    await waitUntil(async () => ((await lookup(FEED_IP)).listed ? true : undefined), 'the feed to list the IP');
    const rows = await submissions();
    expect(rows.map((r) => [r.reporter_trust, r.feedback_loop, r.relay_ip])).to.deep.equal(Array(3).fill(['feed', 'Example FBL', FEED_IP]));
    expect(rows.map((r) => r.reporter_identity).sort()).to.deep.equal([0, 1, 2].map((i) => `feed:Example FBL/subscriber${i}@feedback.example.net`));

    // Another feed never reported this IP: its not-spam is evidence only.
    await other.send('subscriber@other.example', arfReport(FEED_IP, 9, 'not-spam', 'fbl@other.example', false));
    await waitAllProcessed(f.ds, 4);
    expect((await f.ds.query(`SELECT count(*)::int AS n FROM reputation_events WHERE weight < 0`))[0].n).to.equal(0);

    for (let i = 0; i < 3; i++) await feed.send(`subscriber${i}@feedback.example.net`, arfReport(FEED_IP, 10 + i, 'not-spam', undefined, false));
    await waitAllProcessed(f.ds, 7);
    const after = await lookup(FEED_IP);
    expect(after.score).to.be.lessThan(0.01); // lowered, never below zero
    expect(after.listed).to.equal(true);
    // The expiry job counts the retractions back: the listing runs its course by decay alone.
    expect((await expireListings(f.ds, settings(), null, new Date(Date.now() + DAY))).expired).to.deep.equal([]);
    expect((await expireListings(f.ds, settings(), null, new Date(Date.now() + 3 * DAY))).expired).to.deep.equal([FEED_IP]);
  });

  it('an unbound ARF is evidence only: a wrapper From naming the loop, over SMTP or a platform key, does not make its Source-IP the relay', async () => {
    const platform = await intakeChannel(f.svc, f.ds, { trust: 'platform' });
    const smtp = await sendRaw(f.svc.smtpPort!, { from: 'fbl@feedback.example.net', to: ['fbl@reports.localhost'], raw: arfReport(FEED_IP, 1, 'abuse', undefined, false) });
    expect(smtp.ok, smtp.response).to.equal(true);
    await platform.send('fbl@feedback.example.net', arfReport(FEED_IP, 2, 'abuse', undefined, false));
    await waitAllProcessed(f.ds, 2);
    const rows = await submissions();
    expect(rows.map((r) => [r.reporter_trust, r.feedback_loop, r.relay_ip]).sort()).to.deep.equal([['anonymous', null, null], ['platform', null, null]]);
    for (const r of rows) expect(r.evidence.join('\n')).to.match(/fbl\.unconfigured.*names the feedback loop Example FBL, but the report did not come over a channel bound to it/);
    expect((await f.ds.query(`SELECT count(*)::int AS n FROM reputation_subjects WHERE kind = 'ip'`))[0].n).to.equal(0);
  });

  it('SMTP from a loop\'s sourceNetworks is that feed: its Source-IP anchors, and its not-spam about an IP it reported retracts', async () => {
    for (const [n, type] of [[1, 'abuse'], [2, 'not-spam']] as const) {
      const r = await sendRaw(f.svc.smtpPort!, { from: 'bounces@feedback.example.net', to: ['fbl@reports.localhost'], raw: arfReport(FEED_IP, n, type, undefined, false), localAddress: '127.0.0.2' });
      expect(r.ok, r.response).to.equal(true);
      await waitAllProcessed(f.ds, n);
    }
    const rows = await submissions();
    expect(rows.map((r) => [r.reporter_trust, r.reporter_identity, r.feedback_loop, r.relay_ip])).to.deep.equal(Array(2).fill(['feed', 'feed:Example FBL', 'Example FBL', FEED_IP]));
    const events: { weight: number }[] = await f.ds.query(`SELECT weight FROM reputation_events WHERE kind = 'ip' ORDER BY at`);
    expect(events.map((e) => e.weight)).to.deep.equal([1, -1]);
  });

  it('SMTP from the platform\'s relays is platform, the relayed user (normalised) being the identity', async () => {
    const r = await sendRaw(f.svc.smtpPort!, { from: 'Ann+junk@Contoso.com', to: ['spam@reports.localhost'], raw: spamFrom('198.51.100.41', 'p1'), localAddress: '127.0.0.3' });
    expect(r.ok, r.response).to.equal(true);
    await waitAllProcessed(f.ds, 1);
    const [row] = await submissions();
    expect([row!.reporter_trust, row!.reporter_identity, row!.report_trust]).to.deep.equal(['platform', 'platform-relay/ann@contoso.com', 'platform']);
    const [ev]: { reporter: string }[] = await f.ds.query(`SELECT reporter FROM reputation_events WHERE kind = 'ip'`);
    expect(ev!.reporter).to.equal('platform-relay/ann@contoso.com');
  });

  it('a personal reporting address makes its owner verified (the token never stored); an unknown or revoked one is refused with 550', async () => {
    const address = await personalAddressFor(f.ds, 'Jo+news@Example.org');
    const ok = await sendRaw(f.svc.smtpPort!, { from: 'anything@forged.example', to: [address], raw: spamFrom('198.51.100.42', 'v1') });
    expect(ok.ok, ok.response).to.equal(true);
    await waitAllProcessed(f.ds, 1);
    const [row] = await submissions();
    expect([row!.reporter_trust, row!.reporter_identity, row!.report_trust]).to.deep.equal(['verified', 'jo@example.org', 'verified']);
    expect((await f.ds.query(`SELECT reporter FROM submissions`))[0].reporter).to.equal('jo@example.org'); // not the envelope's anything@forged.example
    expect(row!.envelope_to).to.deep.equal(['report+redacted@reports.localhost']);
    const token = address.slice('report+'.length, address.indexOf('@'));
    const [{ n }] = await f.ds.query(`SELECT count(*)::int AS n FROM raw_messages WHERE position($1::bytea IN content) > 0`, [Buffer.from(token)]);
    expect(n).to.equal(0);

    const unknown = await sendRaw(f.svc.smtpPort!, { from: 'x@forged.example', to: ['report+aaaaaaaaaaaaaaaaaaaaaaaaaa@reports.localhost'], raw: spamFrom('198.51.100.42', 'v2') });
    expect(unknown.code).to.equal(550);
    await revokeByIdentity(f.ds.manager, 'jo@example.org', 'test', 'leaked', new Date());
    const revoked = await sendRaw(f.svc.smtpPort!, { from: 'x@forged.example', to: [address], raw: spamFrom('198.51.100.42', 'v3') });
    expect(revoked.code).to.equal(550);
    expect(revoked.response).to.match(/unknown or was revoked/);
  });
});
