import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../../shared/config/load-config.ts';
import { AppError } from '../../shared/errors/app-error.ts';
import { startTestService, type TestService } from '../helpers/service.ts';
import { testDataSource, truncateAll } from '../helpers/db.ts';

const HEADERS_ONLY = 'Received: from a.example (a.example [203.0.113.7])\n\tby mx.example; Fri, 27 Nov 2026 10:00:00 +0000\nSubject: hi\n';

/** Posts a JSON report claiming to come through a proxy for `forwardedFor`. */
function postVia(svc: TestService, forwardedFor: string, email = 'r@example.org'): Promise<Response> {
  return fetch(`${svc.url}/v1/reports`, {
    method: 'POST',
    body: JSON.stringify({ email, category: 'spam', message: HEADERS_ONLY }),
    headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
  });
}

describe('TRUST_PROXY', () => {
  let ds: DataSource;
  before(async () => {
    ds = await testDataSource();
  });
  after(() => ds.destroy());
  beforeEach(() => truncateAll(ds));

  const storedIp = async (id: string) => ((await ds.query(`SELECT host(client_ip) AS ip FROM submissions WHERE id = $1`, [id]))[0] as { ip: string }).ip;

  it("parses Express's syntax and refuses anything else, naming the variable", () => {
    expect(loadConfig({}).TRUST_PROXY).to.equal(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).TRUST_PROXY).to.equal(true);
    expect(loadConfig({ TRUST_PROXY: '2' }).TRUST_PROXY).to.equal(2);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::1' }).TRUST_PROXY).to.deep.equal(['loopback', '10.0.0.0/8', 'fd00::1']);
    expect(() => loadConfig({ TRUST_PROXY: 'everyone' })).to.throw(AppError, 'TRUST_PROXY');
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/99' })).to.throw(AppError, 'TRUST_PROXY');
  });

  describe('by default (no proxy trusted)', () => {
    let svc: TestService;
    before(async () => {
      svc = await startTestService({ ROLES: 'api', REDIS_PREFIX: `${process.env.REDIS_PREFIX}-tp-none`, WEBFORM_LIMIT_PER_IP: '2', WEBFORM_LIMIT_PER_REPORTER: '100' });
    });
    after(() => svc.stop());

    it('ignores X-Forwarded-For: the stored client IP and the per-IP budget are the connecting address', async () => {
      const first = await postVia(svc, '198.51.100.1');
      expect(first.status).to.equal(202);
      expect(await storedIp(((await first.json()) as { id: string }).id)).to.equal('127.0.0.1');
      expect((await postVia(svc, '198.51.100.2')).status).to.equal(202);
      // A third "different" address is the same client: its budget of 2 is spent.
      expect((await postVia(svc, '198.51.100.3')).status).to.equal(429);
    });
  });

  describe('TRUST_PROXY=loopback (behind a local proxy)', () => {
    let svc: TestService;
    before(async () => {
      svc = await startTestService({
        ROLES: 'api', REDIS_PREFIX: `${process.env.REDIS_PREFIX}-tp-loop`, TRUST_PROXY: 'loopback', WEBFORM_LIMIT_PER_IP: '2', WEBFORM_LIMIT_PER_REPORTER: '100',
      });
    });
    after(() => svc.stop());

    it('takes the client IP from X-Forwarded-For and keeps one budget per client', async () => {
      const first = await postVia(svc, '198.51.100.1');
      expect(first.status).to.equal(202);
      expect(await storedIp(((await first.json()) as { id: string }).id)).to.equal('198.51.100.1');
      expect((await postVia(svc, '198.51.100.1')).status).to.equal(202);
      expect((await postVia(svc, '198.51.100.1')).status).to.equal(429);
      // Another client behind the same proxy has its own budget.
      expect((await postVia(svc, '198.51.100.2')).status).to.equal(202);
    });

    it('believes only the proxy hop: an address the client wrote further left is ignored', async () => {
      const res = await postVia(svc, '192.0.2.99, 203.0.113.50');
      expect(res.status).to.equal(202);
      expect(await storedIp(((await res.json()) as { id: string }).id)).to.equal('203.0.113.50');
    });
  });
});
