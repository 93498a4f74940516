import { expect } from 'chai';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { startTestService, bearer, type TestService } from '../helpers/service.ts';
import { testDataSource, truncateAll, waitUntil } from '../helpers/db.ts';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts';
import { migrate } from '../../shared/db/migrate.ts';
import { QUEUES } from '../../shared/queue/queues.ts';
import { sendRaw, greeting, message } from './smtp-client.ts';

const TO = ['spam@reports.localhost'];

describe('SMTP front door when Postgres is unreachable', () => {
  let proxy: TcpProxy;
  let svc: TestService;
  let ds: DataSource;

  before(async () => {
    ds = await testDataSource();
    await truncateAll(ds);
    proxy = await startTcpProxy(5432);
    const viaProxy = new URL(process.env.DATABASE_URL!);
    viaProxy.port = String(proxy.port);
    await migrate(viaProxy.toString());
    svc = await startTestService({ ROLES: 'smtp', DATABASE_URL: viaProxy.toString(), REDIS_PREFIX: `${process.env.REDIS_PREFIX}-pgcut` });
  });
  after(async () => {
    await svc.stop();
    await proxy.close();
    await ds.destroy();
  });

  it('accepts while the database answers, then answers 451 4.3.0 and keeps nothing once it is cut', async () => {
    const before = await sendRaw(svc.smtpPort!, { from: 'open@example.org', to: TO, raw: message('before cut') });
    expect(before.response).to.match(/^250 /);
    await proxy.cut();
    const after = await sendRaw(svc.smtpPort!, { from: 'cut@example.org', to: TO, raw: message('after cut') });
    expect(after.code).to.equal(451);
    expect(after.response).to.match(/^451 4\.3\.0 /);
    const rows: { envelope_from: string }[] = await ds.query(`SELECT envelope_from FROM submissions`);
    expect(rows.map((r) => r.envelope_from)).to.deep.equal(['open@example.org']);
  });
});

describe('intake over the queue high-water mark', () => {
  const prefix = `${process.env.REDIS_PREFIX}-highwater`;
  let queue: Queue;
  let redis: Redis;
  let svc: TestService;
  let ds: DataSource;

  before(async () => {
    ds = await testDataSource();
    await truncateAll(ds);
    redis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
    queue = new Queue(QUEUES.submissions.name, { connection: redis, prefix });
    // Three waiting jobs and no worker on this prefix: above a high-water mark of 2.
    await queue.addBulk([1, 2, 3].map((i) => ({ name: 'process-submission', data: { submissionId: `00000000-0000-4000-8000-00000000000${i}` } })));
    svc = await startTestService({ ROLES: 'api,smtp', REDIS_PREFIX: prefix, INTAKE_HIGH_WATER: '2' });
  });
  after(async () => {
    await svc.stop();
    await queue.obliterate({ force: true });
    await queue.close();
    redis.disconnect();
    await ds.destroy();
  });

  it('SMTP answers 451 4.3.0', async () => {
    const res = await sendRaw(svc.smtpPort!, { from: 'x@example.org', to: TO, raw: message('backlog') });
    expect(res.response).to.match(/^451 4\.3\.0 /);
  });

  it('POST /v1/reports answers 503 with Retry-After', async () => {
    const res = await fetch(`${svc.url}/v1/reports`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'a@example.org', category: 'spam', message: 'Subject: backlog\r\n\r\nx' }),
    });
    expect(res.status).to.equal(503);
    expect(Number(res.headers.get('retry-after'))).to.be.greaterThan(0);
  });

  it('HTTP intake answers 503 with Retry-After', async () => {
    const res = await fetch(`${svc.url}/v1/intake/email`, {
      method: 'POST', body: new Uint8Array(message('backlog')),
      headers: { 'content-type': 'message/rfc822', authorization: await bearer(ds, 'intake') },
    });
    expect(res.status).to.equal(503);
    expect(Number(res.headers.get('retry-after'))).to.be.greaterThan(0);
    expect(((await res.json()) as { title: string }).title).to.equal('overloaded');
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM submissions`);
    expect(n).to.equal(0);
  });
});

describe('SMTP per-client-IP limits (held in Redis)', () => {
  let svc: TestService;
  let ds: DataSource;

  before(async () => {
    ds = await testDataSource();
    svc = await startTestService({
      ROLES: 'smtp', REDIS_PREFIX: `${process.env.REDIS_PREFIX}-smtplimits`,
      SMTP_MESSAGES_PER_MINUTE: '2', SMTP_MAX_CONNECTIONS_PER_IP: '2',
    });
  });
  after(async () => {
    await svc.stop();
    await ds.destroy();
  });

  it('answers 450 past the messages-per-minute budget', async () => {
    // Five messages span at most two one-minute windows, so one window sees three: one 450 at least.
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await sendRaw(svc.smtpPort!, { from: 'x@example.org', to: TO, raw: message(`rate ${i}`) }));
    const refused = results.filter((r) => !r.ok);
    expect(refused.length).to.be.at.least(1);
    for (const r of refused) expect(r.response).to.match(/^450 4\.2\.1 too many messages/);
    expect(results.filter((r) => r.ok).length).to.be.at.least(2);
  });

  it('answers 421 to a connection past the per-IP maximum, and admits again once one closes', async () => {
    const a = await greeting(svc.smtpPort!);
    const b = await greeting(svc.smtpPort!);
    try {
      expect(a.line).to.match(/^220 /);
      expect(b.line).to.match(/^220 /);
      const c = await greeting(svc.smtpPort!);
      c.socket.destroy();
      expect(c.line).to.match(/^421 /);
      a.socket.destroy();
      // The slot frees when the server sees the close; wait for that, not for a fixed time.
      const d = await waitUntil(async () => {
        const g = await greeting(svc.smtpPort!);
        g.socket.destroy();
        return g.line.startsWith('220') ? g : undefined;
      }, 'a connection slot to free');
      expect(d.line).to.match(/^220 /);
    } finally {
      a.socket.destroy();
      b.socket.destroy();
    }
  });
});
