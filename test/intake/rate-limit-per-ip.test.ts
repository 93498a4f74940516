import { expect } from 'chai';
import http from 'node:http';
import { startTestService, type TestService } from '../helpers/service.ts';

/**
 * The public intake's per-IP limit counts per client address: one client spending its budget
 * leaves another's untouched. The clients are two loopback addresses (Linux routes all of
 * 127.0.0.0/8 to lo), so the service sees two socket addresses, with no proxy header involved.
 */
const HEADERS_ONLY = 'Received: from mail.sender.example (mail.sender.example [203.0.113.7])\n\tby mx.victim.example; Fri, 27 Nov 2026 10:00:00 +0000\nFrom: bad@sender.example\nSubject: win\n';

describe('per-IP rate limit keys on the client address', () => {
  let svc: TestService;
  before(async () => {
    svc = await startTestService({
      ROLES: 'api', REDIS_PREFIX: `${process.env.REDIS_PREFIX}-perip`, WEBFORM_LIMIT_PER_IP: '2', WEBFORM_LIMIT_PER_REPORTER: '1000',
    });
  });
  after(() => svc.stop());

  /** POST /v1/reports from `localAddress`; resolves with the status. */
  const postFrom = (localAddress: string, n: number) => new Promise<number>((resolve, reject) => {
    const body = JSON.stringify({ email: `reporter${n}@example.org`, category: 'spam', message: HEADERS_ONLY });
    const req = http.request(`${svc.url}/v1/reports`, {
      method: 'POST', localAddress, agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', reject);
    req.end(body);
  });

  it('a second client keeps its own budget after the first spent its budget', async () => {
    expect(await postFrom('127.0.0.2', 1)).to.equal(202);
    expect(await postFrom('127.0.0.2', 2)).to.equal(202);
    expect(await postFrom('127.0.0.2', 3), 'the first client over its limit').to.equal(429);
    expect(await postFrom('127.0.0.3', 4), 'another client').to.equal(202);
    expect(await postFrom('127.0.0.3', 5)).to.equal(202);
    expect(await postFrom('127.0.0.3', 6)).to.equal(429);
  });
});
