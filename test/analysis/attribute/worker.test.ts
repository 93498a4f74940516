import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { startTestService, bearer, type TestService } from '../../helpers/service.ts';
import { testDataSource, truncateAll, waitForSubmission } from '../../helpers/db.ts';
import { corpusFile } from '../../helpers/corpus.ts';
import { CONTOSO_TENANCY_FILE } from './helpers.ts';

const OUTBOUND = readFileSync(new URL('../../fixtures/attribution/outbound-smtp.eml', import.meta.url));

describe('worker: HTTP intake → attribution → read API', () => {
  let svc: TestService;
  let ds: DataSource;
  let intakeKey: string;
  let analystKey: string;

  before(async () => {
    ds = await testDataSource();
    await truncateAll(ds);
    // TENANCY_FILE is imported at start; the worker reads it back from the database.
    svc = await startTestService({ ROLES: 'api,worker', TENANCY_FILE: CONTOSO_TENANCY_FILE });
  });
  after(async () => {
    await svc.stop();
    await ds.destroy();
  });
  beforeEach(async () => {
    intakeKey = await bearer(ds, 'intake');
    analystKey = await bearer(ds, 'analyst');
  });

  async function submit(raw: Buffer): Promise<string> {
    const res = await fetch(`${svc.url}/v1/intake/email`, { method: 'POST', body: new Uint8Array(raw), headers: { 'content-type': 'message/rfc822', authorization: intakeKey } });
    expect(res.status).to.equal(202);
    return ((await res.json()) as { id: string }).id;
  }

  it('imported the tenancy file at start', async () => {
    const rows: { id: string }[] = await ds.query(`SELECT id FROM tenants ORDER BY id`);
    expect(rows.map((r) => r.id)).to.deep.equal(['contoso', 'fabrikam']);
  });

  it('stores an outbound contoso message with its attribution and evidence', async () => {
    const id = await submit(OUTBOUND);
    const row = await waitForSubmission(ds, id);
    expect(row.status, row.error ?? '').to.equal('processed');
    const res = await fetch(`${svc.url}/v1/submissions/${id}`, { headers: { authorization: analystKey } });
    const body = (await res.json()) as { reports: Record<string, unknown>[] };
    expect(body.reports).to.have.length(1);
    expect(body.reports[0]).to.deep.include({
      kind: 'direct', direction: 'outbound', relayIp: '40.107.244.101', originatingIp: '203.0.113.7',
      viaPlatform: true, tenant: 'contoso', tenantConfidence: 'high', conflict: false,
      decidingHop: 2, // the client's submission hop below the platform's two
    });
    const evidence = body.reports[0]!.evidence as string[];
    expect(evidence.some((l) => l.startsWith('hop 0 [outbound.egress]'))).to.equal(true);
    expect(evidence.some((l) => l.includes('[tenant.decision] tenant contoso'))).to.equal(true);
  });

  it('a bounce ends discarded with the reason and no report', async () => {
    const id = await submit(corpusFile('dsn/sisimai/rfc3464-01.eml'));
    const row = await waitForSubmission(ds, id);
    expect(row.status).to.equal('discarded');
    expect(row.error).to.match(/^dsn: /);
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM reports WHERE submission_id = $1`, [id]);
    expect(n).to.equal(0);
  });

  it('an auto-reply ends discarded too', async () => {
    const id = await submit(corpusFile('auto-reply/sisimai/rfc3834-01.eml'));
    const row = await waitForSubmission(ds, id);
    expect(row.status).to.equal('discarded');
    expect(row.error).to.match(/^auto-reply: /);
  });
});
