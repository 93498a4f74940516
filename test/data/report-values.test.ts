import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { bearer, useTestService } from '../helpers/service.ts';
import { waitForSubmission } from '../helpers/db.ts';
import { corpusFolder } from '../helpers/corpus.ts';
import { CONTOSO_TENANCY_FILE } from '../analysis/attribute/helpers.ts';
import { analyzeSubmission } from '../../shared/analysis/analyze.ts';
import type { AnalyzedReport } from '../../shared/analysis/types.ts';
import { storableReport } from '../../shared/db/storable.ts';
import { compileTenancy } from '../../shared/tenancy/compile-tenancy.ts';
import { loadTenancyFile } from '../../shared/tenancy/parse-tenancy.ts';
import { importTenancy } from '../../shared/tenancy/tenancy-store.ts';

/**
 * Every value of a report crosses Postgres → worker → API (issue 12.1: "test each value that crosses
 * the binary path"). For real and hand-written messages — dates, IPv4 and IPv6 addresses, booleans,
 * small integers, ARF numbers and arrays, jsonb hops and evidence — what the API returns equals what
 * the analysis core gives for the same bytes (made storable), field by field.
 */
const FIXTURES = new URL('../fixtures/attribution/', import.meta.url);
const messages: [string, Buffer][] = [
  ...readdirSync(FIXTURES).filter((f) => f.endsWith('.eml')).map((f): [string, Buffer] => [`attribution/${f}`, readFileSync(new URL(f, FIXTURES))]),
  ...['arf', 'x-arf'].flatMap((d) => corpusFolder(d)),
  ...corpusFolder('spam').slice(0, 10),
];

/** The API's report shape for one analysed report (api/submissions/views.ts). */
function expected(r: AnalyzedReport, index: number) {
  const s = storableReport(r);
  return {
    index, subject: s.subject, from: s.from, fromDomain: s.fromDomain, messageId: s.messageId, date: s.date,
    direction: s.direction, relayIp: s.relayIp, originatingIp: s.originatingIp, viaPlatform: s.viaPlatform,
    tenant: s.tenant, recipientTenant: s.recipientTenant, tenantConfidence: s.tenantConfidence, conflict: s.conflict,
    feedbackType: s.feedbackType, arf: s.arf, receivedChain: s.receivedChain, hops: s.hops, decidingHop: s.decidingHop, evidence: s.evidence,
  };
}

describe('report values: the API equals the analysis core (issue 12.1)', function () {
  this.timeout(120_000);
  const t = useTestService({ ROLES: 'api,worker', TENANCY_REFRESH_SECONDS: '1' });

  it(`${messages.length} messages, every field of every report`, async () => {
    const tenancy = loadTenancyFile(CONTOSO_TENANCY_FILE);
    await importTenancy(t.ds, tenancy, 'test');
    const compiled = compileTenancy(tenancy);
    const intake = await bearer(t.ds, 'intake');
    const analyst = await bearer(t.ds, 'analyst');
    let compared = 0;
    const kinds = new Set<string>();
    for (const [name, raw] of messages) {
      const res = await fetch(`${t.svc.url}/v1/intake/email`, { method: 'POST', body: new Uint8Array(raw), headers: { 'content-type': 'message/rfc822', authorization: intake } });
      expect(res.status, name).to.equal(202);
      const { id } = (await res.json()) as { id: string };
      await waitForSubmission(t.ds, id);
      const api = (await (await fetch(`${t.svc.url}/v1/submissions/${id}`, { headers: { authorization: analyst } })).json()) as { receivedAt: string; reports: Record<string, unknown>[] };
      const core = await analyzeSubmission(raw, compiled);
      expect(api.reports.length, name).to.equal(core.reports.length);
      core.reports.forEach((r, i) => {
        const got = api.reports[i]!;
        expect(got, `${name} report ${i}`).to.deep.include(expected(r, i));
        expect(got.receivedAt, `${name} report ${i} receivedAt`).to.equal(api.receivedAt);
        kinds.add(`${r.direction}/${r.tenantConfidence ?? '-'}/${r.arf ? 'arf' : '-'}/${r.relayIp?.includes(':') ? 'v6' : 'v4'}`);
        compared++;
      });
    }
    // The set covered what it claims: several directions, tenants, ARF fields, IPv6.
    expect(compared).to.be.greaterThan(40);
    expect([...kinds].some((k) => k.includes('/arf/'))).to.equal(true);
    expect([...kinds].some((k) => k.endsWith('/v6'))).to.equal(true);
    expect([...kinds].some((k) => k.startsWith('outbound/high'))).to.equal(true);
    expect([...kinds].some((k) => k.startsWith('inbound/'))).to.equal(true);
  });
});
