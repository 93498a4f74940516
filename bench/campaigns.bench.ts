/**
 * `npm run bench:campaigns`: the worker's campaign assignment step timed against a database holding
 * 1,000,000 reports in 100,000 campaigns (its own, dropped at the end). Progress on stderr, one JSON
 * line last on stdout: p50/p95 ms per report, for commits of one report and of 32 (the worker's group
 * commit), each half copies of seeded campaigns (join) and half new spam (create). Target p95 ≤ 5 ms.
 *
 * Seeding is set-based: campaign exemplars and bucket keys come from real features of generated texts
 * (computed here, written with unnest arrays), reports and the rest with generate_series.
 * BENCH_CAMPAIGNS, BENCH_REPORTS and BENCH_RUNS override the sizes; BENCH_KEEP=1 keeps the database.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { createDataSource } from '../shared/db/data-source.ts';
import { contentFeatures, type ContentFeatures } from '../shared/campaigns/content-features.ts';
import { bucketKeys } from '../shared/campaigns/bucket-keys.ts';
import { assignCampaigns, type CampaignItem } from '../workers/campaigns/assign-campaigns.ts';
import type { AnalyzedReport } from '../shared/analysis/types.ts';
import { benchRun } from './lib/bench-run.ts';

const CAMPAIGNS = Number(process.env.BENCH_CAMPAIGNS ?? 100_000);
const REPORTS = Number(process.env.BENCH_REPORTS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 1000);
const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);

/** A deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'za', 'pe', 'qu', 'ba', 'do', 'fi', 'gu', 'ho', 'ji', 'ly', 'wo', 'xe'];
const WORDS = Array.from({ length: 8000 }, (_, i) => `${SYLLABLES[i % 20]}${SYLLABLES[Math.floor(i / 20) % 20]}${SYLLABLES[Math.floor(i / 400) % 20]}`);

/** Campaign c's spam as one recipient gets it (greeting, fresh number, per-recipient link token). */
function spamFeatures(c: number, copy: number): ContentFeatures {
  const r = prng(c * 7919 + 1);
  const words = Array.from({ length: 80 }, () => WORDS[Math.floor(r() * WORDS.length)]!);
  const text = [`Dear Customer${copy},`, '', words.join(' '), `Order ${copy * 7717 + c}`, `http://c${c}.example-${c % 97}.com/t/${copy}x${c}q`].join('\n');
  return contentFeatures({ text, html: null, to: `Customer${copy} <c${copy}@victim.example>` }, `${words.slice(0, 4).join(' ')} ${copy}`);
}

async function seedCampaigns(ds: DataSource): Promise<void> {
  const chunk = 5000;
  for (let from = 1; from <= CAMPAIGNS; from += chunk) {
    const ids = Array.from({ length: Math.min(chunk, CAMPAIGNS - from + 1) }, (_, i) => from + i);
    const feats = ids.map((c) => spamFeatures(c, 0));
    await ds.query(
      `INSERT INTO campaigns (id, first_seen, last_seen, reports, reporters_anonymous, reporters_verified, subject, subject_stem, judge)
       SELECT id, now() - interval '30 days' + (id % 720) * interval '1 hour', now() - (id % 48) * interval '1 hour',
              $2::int, $2::int / 2, $2::int - $2::int / 2, 'subject ' || id, stem, 'text'
         FROM unnest($1::bigint[], $3::text[]) AS v(id, stem)`,
      [ids, Math.round(REPORTS / CAMPAIGNS), feats.map((f) => f.subjectStem)],
    );
    await ds.query(
      `INSERT INTO campaign_exemplars (campaign_id, report_key, judge, signature, exact, url_domains, subject_stem)
       SELECT id, NULL, 'text', sig, ex, ARRAY[dom], stem FROM unnest($1::bigint[], $2::bytea[], $3::text[], $4::text[], $5::text[]) AS v(id, sig, ex, dom, stem)`,
      [ids, feats.map((f) => Buffer.from(f.signature!, 'hex')), feats.map((f) => f.exact), feats.map((f) => f.urlDomains[0]), feats.map((f) => f.subjectStem)],
    );
    const keys = feats.flatMap((f, i) => bucketKeys(f).map((k) => [k.key, ids[i]!] as const));
    await ds.query(`INSERT INTO campaign_keys (key, campaign_id) SELECT * FROM unnest($1::bigint[], $2::bigint[]) ON CONFLICT DO NOTHING`,
      [keys.map((k) => k[0]), keys.map((k) => k[1])]);
    log(`seeded campaigns ${from + ids.length - 1}/${CAMPAIGNS}`);
  }
  await ds.query(`SELECT setval(pg_get_serial_sequence('campaigns', 'id'), $1)`, [CAMPAIGNS]);
}

async function seedReports(ds: DataSource): Promise<void> {
  const chunk = 100_000;
  for (let from = 0; from < REPORTS; from += chunk) {
    const to = Math.min(REPORTS, from + chunk) - 1;
    await ds.query(
      `INSERT INTO submissions (id, channel, received_at, size_bytes, status)
       SELECT md5('s' || n)::uuid, 'smtp', now() - random() * interval '30 days', 2048, 'processed' FROM generate_series($1::int, $2::int) n`, [from, to]);
    await ds.query(
      `INSERT INTO reports (id, submission_id, idx, received_at, channel, kind, subject, received_chain, direction, relay_ip, originating_ip, reporter, campaign_id)
       SELECT md5('r' || n)::uuid, md5('s' || n)::uuid, 0, now() - random() * interval '30 days', 'smtp', 'forward', 'subject ' || (1 + n % $3), '[]', 'foreign',
              '20.0.0.0'::inet + (n % 50000)::bigint, '20.0.0.0'::inet + (n % 50000)::bigint, 'u' || (n % 400000) || '@victim.example', 1 + n % $3
         FROM generate_series($1::int, $2::int) n`, [from, to, CAMPAIGNS]);
    log(`seeded reports ${to + 1}/${REPORTS}`);
  }
  await ds.query(
    `INSERT INTO campaign_reporters (campaign_id, trust, reporter)
     SELECT campaign_id, 'anonymous', ('x' || substr(md5(reporter), 1, 16))::bit(64)::bigint FROM reports ON CONFLICT DO NOTHING`);
  await ds.query(
    `INSERT INTO campaign_facets (campaign_id, kind, value, reports, last_seen)
     SELECT campaign_id, 'relay_ip', host(relay_ip), count(*), max(received_at) FROM reports GROUP BY 1, 3`);
  await ds.query(
    `INSERT INTO campaign_hourly (campaign_id, hour, n)
     SELECT campaign_id, date_trunc('hour', received_at, 'UTC'), count(*) FROM reports GROUP BY 1, 2`);
  for (const t of ['submissions', 'reports', 'campaigns', 'campaign_keys', 'campaign_exemplars', 'campaign_reporters', 'campaign_facets', 'campaign_hourly']) await ds.query(`VACUUM ANALYZE ${t}`);
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Inserts the reports a commit would have inserted (not timed), then times the assignment step alone. */
async function timedCommit(ds: DataSource, feats: ContentFeatures[]): Promise<number> {
  return ds.transaction(async (em: EntityManager) => {
    const items: CampaignItem[] = [];
    const ids: string[] = [];
    for (const f of feats) {
      const sid = randomUUID();
      const rid = randomUUID();
      await em.query(`INSERT INTO submissions (id, channel, received_at, size_bytes, status) VALUES ($1, 'smtp', now(), 2048, 'processed')`, [sid]);
      await em.query(`INSERT INTO reports (id, submission_id, idx, received_at, channel, kind, received_chain, relay_ip, reporter)
                      VALUES ($1, $2, 0, now(), 'smtp', 'forward', '[]', '203.0.113.9', 'bench@victim.example')`, [rid, sid]);
      items.push({ submissionId: sid, idx: 0, receivedAt: new Date(), report: { subject: 'bench', content: f } as AnalyzedReport });
      ids.push(rid);
    }
    const t = process.hrtime.bigint();
    await assignCampaigns(em, items, ids, { alertReports: 100 });
    return Number(process.hrtime.bigint() - t) / 1e6;
  });
}

async function main(): Promise<void> {
  const run = benchRun('campaigns');
  log(`database ${new URL(run.databaseUrl).pathname.slice(1)}; ${REPORTS} reports in ${CAMPAIGNS} campaigns; ${RUNS} runs`);
  await run.setUp();
  const ds = createDataSource({ url: run.databaseUrl, poolSize: 2 });
  await ds.initialize();
  try {
    const t0 = Date.now();
    await seedCampaigns(ds);
    await seedReports(ds);
    log(`seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const r = prng(4242);
    let fresh = CAMPAIGNS + 1_000_000;
    // Half copies of a seeded campaign (to a new recipient: the join path), half new spam (the create path).
    const probe = (i: number) => (i % 2 === 0 ? spamFeatures(1 + Math.floor(r() * CAMPAIGNS), 1 + i) : spamFeatures(fresh++, 0));
    for (let i = 0; i < 20; i++) await timedCommit(ds, [probe(i)]); // warm-up
    const single: number[] = [];
    const joined = { join: 0, total: 0 };
    for (let i = 0; i < RUNS; i++) single.push(await timedCommit(ds, [probe(i)]));
    const batched: number[] = [];
    for (let i = 0; i < Math.max(10, Math.floor(RUNS / 32)); i++) {
      const ms = await timedCommit(ds, Array.from({ length: 32 }, (_, k) => probe(i * 32 + k)));
      batched.push(ms / 32);
    }
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM reports WHERE received_at > now() - interval '1 minute' AND campaign_id <= $1`, [CAMPAIGNS]);
    joined.join = n;
    joined.total = RUNS + 20 + batched.length * 32;
    single.sort((a, b) => a - b);
    batched.sort((a, b) => a - b);
    const round = (x: number) => Math.round(x * 100) / 100;
    const result = {
      reports: REPORTS,
      campaigns: CAMPAIGNS,
      runs: RUNS,
      perReport: { p50: round(pct(single, 50)), p95: round(pct(single, 95)) },
      perReportIn32: { p50: round(pct(batched, 50)), p95: round(pct(batched, 95)) },
      joinedSeeded: joined.join,
      probes: joined.total,
      target: { p95: 5 },
      ok: pct(single, 95) <= 5,
    };
    log(`one report per commit: p50 ${result.perReport.p50} ms, p95 ${result.perReport.p95} ms; in commits of 32: p50 ${result.perReportIn32.p50} ms, p95 ${result.perReportIn32.p95} ms per report`);
    log(`${joined.join} of ${joined.total} probes joined a seeded campaign (half of them are copies of one)`);
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await ds.destroy();
    if (process.env.BENCH_KEEP === '1') log(`kept ${run.databaseUrl}`);
    else await run.tearDown();
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
