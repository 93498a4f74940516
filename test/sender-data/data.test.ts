import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { testDataSource } from '../helpers/db.ts';
import { signIn, useOwnerService } from './owner-fixture.ts';
import { seedOwnerRange, seedReport, seedVolume } from './seed-history.ts';

const OWNER = 'postmaster@sender-co.example';
const DAY = 86_400_000;
const today = () => Math.floor(Date.now() / DAY) * DAY;
const dayStr = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** CSV text → rows of cells (our own writer quotes every cell). */
const parseCsv = (csv: string) => csv.trim().split('\r\n').map((l) => [...l.matchAll(/"((?:[^"]|"")*)"|([^,]+)|(?<=,|^)(?=,|$)/g)].map((m) => (m[1] ?? m[2] ?? '').replace(/""/g, '"')));

describe('sender data: the table, CSV and secret data URL against a seeded history', function () {
  this.timeout(30_000);
  // Postgres sessions in a time zone far from UTC: a day must still be the UTC day (the query says so, not the session).
  let admin: DataSource;
  before(async () => {
    admin = await testDataSource();
    const [{ db }] = await admin.query(`SELECT current_database() AS db`);
    await admin.query(`ALTER DATABASE "${db}" SET timezone TO 'Pacific/Kiritimati'`);
  });
  after(async () => {
    const [{ db }] = await admin.query(`SELECT current_database() AS db`);
    await admin.query(`ALTER DATABASE "${db}" RESET timezone`);
    await admin.destroy();
  });
  const f = useOwnerService();

  async function seedHistory() {
    await seedOwnerRange(f.ds, OWNER, '198.51.100.0/24');
    const d2 = today() - 2 * DAY;
    for (let h = 0; h < 24; h++) await seedVolume(f.ds, '198.51.100.7', new Date(d2 + h * 3600_000), 1000); // 24000 that day
    // Complaints on day -2: 30 verified + 10 feed + 5 anonymous (not counted) + 1 not-spam (not a complaint) + 2 trap hits.
    for (let i = 0; i < 30; i++) await seedReport(f.ds, { ip: '198.51.100.7', at: new Date(d2 + 3600_000 + i * 1000), trust: 'verified' });
    for (let i = 0; i < 10; i++) await seedReport(f.ds, { ip: '198.51.100.7', at: new Date(d2 + 7200_000 + i * 1000), trust: 'feed', mailFrom: 'bounces@bulk.sender-co.example' });
    for (let i = 0; i < 5; i++) await seedReport(f.ds, { ip: '198.51.100.7', at: new Date(d2 + 9000_000 + i * 1000), trust: 'anonymous' });
    await seedReport(f.ds, { ip: '198.51.100.7', at: new Date(d2 + 9500_000), trust: 'feed', feedbackType: 'not-spam' });
    await seedReport(f.ds, { ip: '198.51.100.7', at: new Date(d2 + 10_000_000), channel: 'trap', helo: 'mta7.sender-co.example', envelopeFrom: 'bounces@sender-co.example' });
    // The newest sample is a trap hit's envelope sender, written by whoever connected: neutralised in the CSV.
    await seedReport(f.ds, { ip: '198.51.100.7', at: new Date(d2 + 10_001_000), channel: 'trap', helo: 'mta7.sender-co.example', envelopeFrom: '=HYPERLINK("x")@sender-co.example' });
    // Outside the range and outside the window: never shown.
    await seedReport(f.ds, { ip: '198.51.101.7', at: new Date(d2 + 3600_000) });
    await seedReport(f.ds, { ip: '198.51.100.7', at: new Date(today() - 95 * DAY) });
    // A listing from day -2 12:00 to day -1 06:00.
    await f.ds.query(`INSERT INTO listing_history (ip, action, reason, actor, at) VALUES ('198.51.100.7', 'listed', 'score', 'system', $1), ('198.51.100.7', 'expired', 'decayed', 'system', $2)`,
      [new Date(d2 + 12 * 3600_000), new Date(d2 + 30 * 3600_000)]);
    return d2;
  }

  it('shows per IP per UTC day: volume, complaints by trust, rate, colour, trap hits, HELO, MAIL FROM, listing — in the page and the CSV', async () => {
    const d2 = await seedHistory();
    const client = await signIn(f, OWNER);
    const page = await client.get('/sender/data');
    expect(page.text).to.contain(`data-ip="198.51.100.7" data-day="${dayStr(d2)}"`);
    expect(page.text).to.not.contain('198.51.101.7');
    expect(page.text).to.contain('id="owner-chart"').and.contain('mta7.sender-co.example');
    const csv = await client.get('/sender/data/csv');
    expect(csv.res.headers.get('content-type')).to.match(/^text\/csv/);
    const rows = parseCsv(csv.text);
    expect(rows[0]).to.deep.equal(['ip', 'day_utc', 'delivered', 'complaints', 'complaint_rate', 'filter_result', 'listed', 'complaints_anonymous', 'complaints_verified', 'complaints_platform', 'complaints_feed', 'trap_hits', 'sample_helo', 'sample_mail_from']);
    const day = rows.find((r) => r[1] === dayStr(d2))!;
    // 30 verified + 10 feed + 2 trap hits = 42 of 24000 = 0.175 % → listed that day → red.
    expect(day).to.deep.equal(['198.51.100.7', dayStr(d2), '24000', '42', '0.001750', 'red', 'yes', '5', '30', '0', '10', '2', 'mta7.sender-co.example', `'=HYPERLINK("x")@sender-co.example`]);
    expect(rows.some((r) => r[1] === dayStr(today() - 95 * DAY))).to.equal(false);
  });

  it('counts a report at 23:59:59.9 UTC on its own day and one at 00:00:00.1 on the next, the same in Postgres and in the CSV', async () => {
    await seedOwnerRange(f.ds, OWNER, '203.0.113.0/24');
    const midnight = today() - 3 * DAY;
    await seedReport(f.ds, { ip: '203.0.113.5', at: new Date(midnight - 100), trust: 'verified' });
    await seedReport(f.ds, { ip: '203.0.113.5', at: new Date(midnight + 100), trust: 'verified' });
    await seedReport(f.ds, { ip: '203.0.113.5', at: new Date(midnight + 200), trust: 'verified' });
    const pg: { day: string; n: number }[] = await f.ds.query(
      `SELECT to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, count(*)::int AS n FROM reports WHERE originating_ip = '203.0.113.5' GROUP BY 1 ORDER BY 1`,
    );
    const [{ tz }] = await f.ds.query(`SELECT current_setting('TimeZone') AS tz`);
    expect(tz).to.equal('Pacific/Kiritimati'); // UTC+14: a session-time day would be the wrong one for both
    expect(pg).to.deep.equal([{ day: dayStr(midnight - DAY), n: 1 }, { day: dayStr(midnight), n: 2 }]);
    const client = await signIn(f, OWNER);
    const rows = parseCsv((await client.get('/sender/data/csv')).text).filter((r) => r[0] === '203.0.113.5');
    expect(rows.map((r) => [r[1], Number(r[3])]).sort()).to.deep.equal(pg.map((p) => [p.day, p.n]));
    const page = (await client.get('/sender/data')).text;
    for (const p of pg) expect(page).to.contain(`data-ip="203.0.113.5" data-day="${p.day}"`);
  });

  it('gives scripts the data through a secret URL: CSV and JSON, gone (404) once revoked, replaced when re-issued', async () => {
    await seedHistory();
    const client = await signIn(f, OWNER);
    const issued = await client.post('/sender/data/token', { action: 'issue' });
    const url = /<pre id="data-url">([^<]+)<\/pre>/.exec(issued.text)![1]!;
    const path = new URL(url).pathname;
    const [{ token_sha256 }] = await f.ds.query(`SELECT token_sha256 FROM sender_data_tokens`);
    expect(path).to.not.contain(token_sha256); // only the hash is stored
    const csv = await fetch(`${f.svc.url}${path}`);
    expect(csv.status).to.equal(200);
    expect(await csv.text()).to.contain('198.51.100.7');
    const json = (await (await fetch(`${f.svc.url}${path}?format=json`)).json()) as { days: { ip: string; complaints: number; filterResult: string }[]; listings: unknown[] };
    expect(json.days.find((d) => d.complaints === 42)).to.include({ ip: '198.51.100.7', filterResult: 'red' });
    expect(json.listings).to.have.length(1);
    const again = await client.post('/sender/data/token', { action: 'issue' });
    const path2 = new URL(/<pre id="data-url">([^<]+)<\/pre>/.exec(again.text)![1]!).pathname;
    expect((await fetch(`${f.svc.url}${path}`)).status).to.equal(404);
    expect((await fetch(`${f.svc.url}${path2}`)).status).to.equal(200);
    await client.post('/sender/data/token', { action: 'revoke' });
    expect((await fetch(`${f.svc.url}${path2}`)).status).to.equal(404);
    expect((await fetch(`${f.svc.url}/sender/data/feed/not-a-token`)).status).to.equal(404);
  });
});
