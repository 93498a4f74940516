import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { startTestService, bearer, type TestService } from '../helpers/service.ts';
import { testDataSource } from '../helpers/db.ts';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts';
import { corpusFile } from '../helpers/corpus.ts';

const SPAM = corpusFile('spam/spamassassin/004.eml');

describe('HTTP intake with Postgres unreachable', () => {
  let proxy: TcpProxy;
  let svc: TestService;
  let ds: DataSource;
  let key: string;

  before(async () => {
    ds = await testDataSource();
    key = await bearer(ds, 'intake');
    // This instance reaches Postgres only through a proxy the test can cut.
    proxy = await startTcpProxy(5432);
    const url = new URL(process.env.DATABASE_URL!);
    url.port = String(proxy.port);
    svc = await startTestService({ ROLES: 'api', DATABASE_URL: url.toString() });
    // Warm the key cache while the store is up, so the request below reaches the intake itself.
    const warm = await fetch(`${svc.url}/v1/intake/email`, { method: 'POST', body: 'x', headers: { 'content-type': 'text/plain', authorization: key } });
    expect(warm.status).to.equal(415);
    await proxy.cut();
  });
  after(async () => {
    await svc.stop().catch(() => undefined);
    await proxy.close();
    await ds.destroy();
  });

  it('answers 503 with Retry-After, and stores nothing', async () => {
    const marker = `<store-down-${Date.now()}@test>`;
    const body = Buffer.concat([Buffer.from(`Message-ID: ${marker}\r\n`), SPAM]);
    const [{ n: before }] = await ds.query(`SELECT count(*)::int AS n FROM submissions`);
    const res = await fetch(`${svc.url}/v1/intake/email`, {
      method: 'POST', body: new Uint8Array(body), headers: { 'content-type': 'message/rfc822', authorization: key },
    });
    expect(res.status).to.equal(503);
    expect(res.headers.get('retry-after')).to.match(/^\d+$/);
    expect(((await res.json()) as { title: string }).title).to.equal('store_unavailable');
    const [{ n: after }] = await ds.query(`SELECT count(*)::int AS n FROM submissions`);
    expect(after).to.equal(before);
    const raws = await ds.query(`SELECT 1 FROM raw_messages WHERE position($1::bytea in content) > 0`, [Buffer.from(marker)]);
    expect(raws).to.have.length(0);
  });

  it('reports not ready on /readyz', async () => {
    const res = await fetch(`${svc.url}/readyz`);
    expect(res.status).to.equal(503);
    expect(((await res.json()) as { postgres: string }).postgres).to.match(/^down/);
  });
});
