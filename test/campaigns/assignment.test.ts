import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { testDataSource, truncateAll, waitUntil } from '../helpers/db.ts';
import { seedSubmission } from '../reliability/helpers/seed.ts';
import { analyzeSubmission } from '../../shared/analysis/analyze.ts';
import { EMPTY_COMPILED_TENANCY } from '../../shared/tenancy/compile-tenancy.ts';
import { commitSubmissions, type ReadySubmission } from '../../workers/submissions/commit-submissions.ts';
import { assignCampaigns, type CampaignItem } from '../../workers/campaigns/assign-campaigns.ts';
import { mergeCampaigns } from '../../shared/campaigns/store/campaign-merge.ts';
import { commitCampaigns } from '../../shared/campaigns/store/campaign-commit.ts';
import { setReportTrust } from '../../shared/trust/trust-changes.ts';
import { applyTrustChanges } from '../../workers/trust/apply-trust-changes.ts';
import { reputationRuntime } from '../../workers/reputation/reputation-runtime.ts';
import { createRedis } from '../../shared/queue/redis.ts';
import { createLogger } from '../../shared/logger.ts';
import { testConfig } from '../helpers/config.ts';
import { campaignSpam } from './campaign-mail.ts';

/** The worker's campaign step, through the real commit against Postgres. */
describe('campaigns: assignment in the worker commit', () => {
  let ds: DataSource;
  before(async () => {
    ds = await testDataSource();
  });
  after(() => ds.destroy());
  beforeEach(() => truncateAll(ds));

  async function ready(raw: Buffer, reporter: string, at = new Date('2026-03-03T10:00:00Z'), trust: 'anonymous' | 'verified' = 'anonymous'): Promise<ReadySubmission> {
    // Anonymous web reports by default: no reporter identity, so the reporter address is who reported.
    const id = await seedSubmission(ds, raw, { receivedAt: at, reporter, trust });
    return { row: { id, channel: 'http', received_at: at, reporter }, analysis: await analyzeSubmission(raw, EMPTY_COMPILED_TENANCY) };
  }
  const campaignOf = async (s: ReadySubmission): Promise<string | null> =>
    (await ds.query(`SELECT campaign_id::text AS c FROM reports WHERE submission_id = $1`, [s.row.id]))[0]?.c ?? null;
  const campaign = async (id: string) => (await ds.query(`SELECT * FROM campaigns WHERE id = $1`, [id]))[0];

  it('puts copies of one spam to different recipients in one campaign and another spam in its own', async () => {
    const a1 = await ready(campaignSpam(1, 0), 'r1@victim.example');
    const a2 = await ready(campaignSpam(1, 1), 'r2@victim.example');
    const b1 = await ready(campaignSpam(2, 2), 'r3@victim.example');
    await ds.transaction((em) => commitSubmissions(em, [a1]));
    await ds.transaction((em) => commitSubmissions(em, [a2, b1]));
    const [ca1, ca2, cb1] = [await campaignOf(a1), await campaignOf(a2), await campaignOf(b1)];
    expect(ca1).to.be.a('string');
    expect(ca2).to.equal(ca1);
    expect(cb1).to.be.a('string').and.not.equal(ca1);
    const c = await campaign(ca1!);
    expect(c.reports).to.equal(2);
    expect(c.reporters_anonymous).to.equal(2);
    const facets: { kind: string; value: string; reports: number }[] = await ds.query(
      `SELECT kind, value, reports FROM campaign_facets WHERE campaign_id = $1 ORDER BY kind, value`, [ca1]);
    expect(facets).to.deep.include({ kind: 'url_domain', value: 'promo1-deals.com', reports: 2 });
    expect(facets.filter((f) => f.kind === 'relay_ip').map((f) => f.value)).to.have.members(['203.0.113.1', '203.0.113.2']);
  });

  it('assigns nothing twice when the same submissions are committed again (redelivery)', async () => {
    const a1 = await ready(campaignSpam(3, 0), 'r1@victim.example');
    const a2 = await ready(campaignSpam(3, 1), 'r1@victim.example');
    await ds.transaction((em) => commitSubmissions(em, [a1, a2]));
    const before = await campaign((await campaignOf(a1))!);
    const outcomes = await ds.transaction((em) => commitSubmissions(em, [a1, a2]));
    expect(outcomes.map((o) => o.outcome)).to.deep.equal(['already-done', 'already-done']);
    const after = await campaign((await campaignOf(a1))!);
    expect(after.reports).to.equal(2);
    expect(after.reporters_anonymous).to.equal(1); // one reporter, twice
    expect(before.reports).to.equal(2);
    const [{ n }] = await ds.query(`SELECT sum(n)::int AS n FROM campaign_hourly`);
    expect(n).to.equal(2);
  });

  it('gives a report with no body no campaign', async () => {
    const s = await ready(campaignSpam(4, 0, { headersOnly: true }), 'r1@victim.example');
    await ds.transaction((em) => commitSubmissions(em, [s]));
    expect(await campaignOf(s)).to.equal(null);
    expect((await ds.query(`SELECT count(*)::int AS n FROM campaigns`))[0].n).to.equal(0);
  });

  it('creates one campaign when two transactions meet the same new spam at once', async () => {
    const a = await ready(campaignSpam(5, 0), 'r1@victim.example');
    const b = await ready(campaignSpam(5, 1), 'r2@victim.example');
    const runner = ds.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      await commitSubmissions(runner.manager, [a]); // holds the create lock, not committed yet
      const second = ds.transaction((em) => commitSubmissions(em, [b]));
      // The second waits for the lock: condition, not a sleep.
      await waitUntil(async () => {
        const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`);
        return n > 0 ? true : undefined;
      }, 'the second transaction to wait for the create lock');
      await runner.commitTransaction();
      await second;
    } finally {
      await runner.release();
    }
    expect(await campaignOf(b)).to.equal(await campaignOf(a));
    expect((await ds.query(`SELECT count(*)::int AS n FROM campaigns`))[0].n).to.equal(1);
  });

  it('records campaign.detected once when a campaign reaches the threshold within an hour, as a webhook event too', async () => {
    const [{ id: sub }] = await ds.query(
      `INSERT INTO webhook_subscriptions (id, url, events, secret) VALUES (gen_random_uuid(), 'https://hooks.example/x', ARRAY['campaign.detected'], 'whsec_test') RETURNING id`);
    const copies = await Promise.all([0, 1, 2, 3].map((i) => ready(campaignSpam(6, i), `r${i}@victim.example`, new Date(Date.UTC(2026, 2, 3, 10, i)), 'verified')));
    await ds.transaction((em) => commitSubmissions(em, copies.slice(0, 2), undefined, undefined, { alertReports: 3 }));
    expect((await ds.query(`SELECT count(*)::int AS n FROM campaign_events`))[0].n).to.equal(0);
    await ds.transaction((em) => commitSubmissions(em, copies.slice(2, 3), undefined, undefined, { alertReports: 3 }));
    await ds.transaction((em) => commitSubmissions(em, copies.slice(3), undefined, undefined, { alertReports: 3 }));
    const events: { type: string; payload: { campaignId: string; reportsLastHour: number } }[] = await ds.query(`SELECT type, payload FROM campaign_events`);
    expect(events).to.have.length(1);
    expect(events[0]!.type).to.equal('campaign.detected');
    expect(events[0]!.payload.reportsLastHour).to.equal(3);
    expect(events[0]!.payload.campaignId).to.equal(await campaignOf(copies[0]!));
    // Through the webhook machinery (shared/webhooks/record-event.ts): one event, one delivery to the subscriber.
    const hooks: { type: string; payload: { campaignId: string; reportsLastHour: number }; subscription_id: string }[] = await ds.query(
      `SELECT e.type, e.payload, d.subscription_id FROM webhook_events e JOIN webhook_deliveries d ON d.event_id = e.id`);
    expect(hooks).to.have.length(1);
    expect(hooks[0]).to.deep.include({ type: 'campaign.detected', subscription_id: sub });
    expect(hooks[0]!.payload).to.deep.include({ campaignId: events[0]!.payload.campaignId, reportsLastHour: 3 });
  });

  it('counts only reports at or above REPUTATION_MIN_TRUST toward campaign.detected: anonymous reports alone never alert', async () => {
    // A stranger's flood of anonymous web reports of one text, all within the hour: stored and grouped, no alert.
    const flood = await Promise.all([0, 1, 2, 3, 4].map((i) => ready(campaignSpam(11, i), `x${i}@anywhere.example`, new Date(Date.UTC(2026, 2, 3, 10, i)))));
    for (const c of flood) await ds.transaction((em) => commitSubmissions(em, [c], undefined, undefined, { alertReports: 3 }));
    expect((await campaign((await campaignOf(flood[0]!))!)).reports).to.equal(5);
    expect((await ds.query(`SELECT count(*)::int AS n FROM campaign_events`))[0].n).to.equal(0);
    // Three verified reporters of the same campaign in the hour reach the threshold; the anonymous five do not count.
    const trusted = await Promise.all([0, 1, 2].map((i) => ready(campaignSpam(11, 10 + i), `v${i}@victim.example`, new Date(Date.UTC(2026, 2, 3, 10, 10 + i)), 'verified')));
    for (const c of trusted.slice(0, 2)) await ds.transaction((em) => commitSubmissions(em, [c], undefined, undefined, { alertReports: 3 }));
    expect((await ds.query(`SELECT count(*)::int AS n FROM campaign_events`))[0].n).to.equal(0);
    await ds.transaction((em) => commitSubmissions(em, [trusted[2]!], undefined, undefined, { alertReports: 3 }));
    const events: { payload: { reportsLastHour: number } }[] = await ds.query(`SELECT payload FROM campaign_events`);
    expect(events.map((e) => e.payload.reportsLastHour)).to.deep.equal([3]);
    // With REPUTATION_MIN_TRUST=anonymous the operator opts into counting every report.
    const open = await Promise.all([0, 1, 2].map((i) => ready(campaignSpam(12, i), `y${i}@anywhere.example`, new Date(Date.UTC(2026, 2, 3, 11, i)))));
    for (const c of open) await ds.transaction((em) => commitSubmissions(em, [c], undefined, undefined, { alertReports: 3, alertMinTrust: 'anonymous' }));
    expect((await ds.query(`SELECT count(*)::int AS n FROM campaign_events`))[0].n).to.equal(2);
  });

  it('does not alert when the reports are spread over more than an hour', async () => {
    const copies = await Promise.all([0, 1, 2].map((i) => ready(campaignSpam(7, i), `r${i}@victim.example`, new Date(Date.UTC(2026, 2, 3, 8 + i)))));
    for (const c of copies) await ds.transaction((em) => commitSubmissions(em, [c], undefined, undefined, { alertReports: 3 }));
    expect((await campaign((await campaignOf(copies[0]!))!)).reports).to.equal(3);
    expect((await ds.query(`SELECT count(*)::int AS n FROM campaign_events`))[0].n).to.equal(0);
  });

  it('counts distinct reporters per trust level, once each (identity: case and +tag folded)', async () => {
    const copies: [string, string][] = [['A@Victim.example', 'verified'], ['a+tag@victim.example', 'verified'], ['b@victim.example', 'feed'], ['a@victim.example', 'anonymous'], ['c@victim.example', 'platform']];
    const items: CampaignItem[] = [];
    const ids: string[] = [];
    for (const [i, [reporter, trust]] of copies.entries()) {
      const s = await ready(campaignSpam(8, i), reporter);
      // The rows as intake (branch issue-11) writes them: with the reporter's trust.
      const [{ id }] = await ds.query(
        `INSERT INTO reports (id, submission_id, idx, received_at, channel, kind, received_chain, reporter, reporter_trust)
         VALUES (gen_random_uuid(), $1, 0, $2, 'http', 'direct', '[]', $3, $4) RETURNING id`, [s.row.id, s.row.received_at, reporter, trust]);
      items.push({ submissionId: s.row.id, idx: 0, report: s.analysis.reports[0]!, receivedAt: s.row.received_at });
      ids.push(id as string);
    }
    const assigned = await ds.transaction((em) => assignCampaigns(em, items, ids, { alertReports: 100 }));
    expect(new Set(assigned.values()).size).to.equal(1);
    const c = await campaign([...assigned.values()][0]!);
    expect([c.reporters_anonymous, c.reporters_verified, c.reporters_platform, c.reporters_feed, c.reporters]).to.deep.equal([1, 1, 1, 1, 4]);
    expect(c.reports).to.equal(5);
  });

  it('hands a report planned into a campaign that was merged meanwhile on to the survivor', async () => {
    const a = await ready(campaignSpam(9, 0), 'r1@victim.example');
    const b = await ready(campaignSpam(10, 0), 'r2@victim.example');
    await ds.transaction((em) => commitSubmissions(em, [a, b]));
    const [ca, cb] = [(await campaignOf(a))!, (await campaignOf(b))!];
    await ds.transaction((em) => mergeCampaigns(em, ca, cb));
    // A worker whose candidates were read before the merge: its plan still names the merged campaign.
    const late = await seedSubmission(ds, campaignSpam(10, 1), { receivedAt: new Date('2026-03-03T10:30:00Z'), reporter: 'r3@victim.example' });
    const [{ id }] = await ds.query(`INSERT INTO reports (id, submission_id, idx, received_at, channel, kind, received_chain, reporter, relay_ip)
      VALUES (gen_random_uuid(), $1, 0, '2026-03-03T10:30:00Z', 'http', 'direct', '[]', 'r3@victim.example', '203.0.113.77') RETURNING id`, [late]);
    const result = await ds.transaction((em) => commitCampaigns(em, { create: [], exemplars: [], keys: [], assign: [{ submission_id: late, idx: 0, campaign: cb, domains: [] }], inserted: [id], url_domains: [], alert: 100 }));
    expect(result.assigned).to.deep.equal([[id, ca]]);
    const merged = await campaign(ca);
    expect(merged.reports).to.equal(3);
    expect((await campaign(cb)).reports).to.equal(0);
    const [facet] = await ds.query(`SELECT campaign_id::text AS c FROM campaign_facets WHERE value = '203.0.113.77'`);
    expect(facet.c).to.equal(ca);
  });

  it('recounts a campaign\'s reporters per trust level when a report\'s trust changes after intake', async () => {
    const a = await ready(campaignSpam(12, 0), 'r1@victim.example');
    const b = await ready(campaignSpam(12, 1), 'r2@victim.example');
    await ds.transaction((em) => commitSubmissions(em, [a, b]));
    const id = (await campaignOf(a))!;
    expect((await campaign(id)).reporters_anonymous).to.equal(2);
    const [report] = await ds.query(`SELECT id FROM reports WHERE submission_id = $1`, [a.row.id]);
    await ds.transaction((em) => setReportTrust(em, report.id, 'verified', 'known reporter', 'user:analyst@example.test', new Date()));
    const redis = createRedis(process.env.REDIS_URL!);
    try {
      // The real trust-change job, as the worker runs it.
      await applyTrustChanges(ds, reputationRuntime(testConfig(), ds, redis, createLogger('silent')).context);
    } finally {
      redis.disconnect();
    }
    const c = await campaign(id);
    expect([c.reporters_anonymous, c.reporters_verified, c.reporters]).to.deep.equal([1, 1, 2]);
  });
});
