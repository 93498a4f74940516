import { expect } from 'chai';
import { analyzeSubmission } from '../../../shared/analysis/analyze.ts';
import type { AnalyzedReport } from '../../../shared/analysis/types.ts';
import { compileTenancy } from '../../../shared/tenancy/compile-tenancy.ts';
import { parseTenancy } from '../../../shared/tenancy/parse-tenancy.ts';

/**
 * Two rules of the attribution contract that the rest of the suite let go (issue 12, "tests that
 * would not have caught these"), checked on whole messages through the analysis entry point — the
 * documented behaviour, not the walk's internals:
 *  - docs/attribution.md, decided case 11: a range in both `platform.networks` and `trustedRelays`
 *    is the platform (a platform egress is not skipped as the recipient's relay);
 *  - ARCHITECTURE.md / docs/attribution.md "Feedback loops": the Source-IP of a feedback loop whose
 *    report came over a channel bound to it is the relayIp and anchors the walk, which continues as an outbound/foreign walk from that hop — even
 *    when the provider's receiving host has a platform host name (Outlook.com reporting Office 365
 *    mail), the platform *sent* this message; it did not receive it.
 */

const tenancy = (extra: Record<string, unknown>) => compileTenancy(parseTenancy(JSON.stringify({
  platform: { networks: ['40.107.0.0/16', '52.100.0.0/14'], hostnames: ['outlook.com', 'office365.com'], tenantHeaders: ['X-MS-Exchange-CrossTenant-Id'] },
  tenants: [{ id: 'contoso', name: 'Contoso', externalIds: ['5f6c8a1e-2b3d-4c7e-9a10-8e2f4b6d1c37'], domains: ['contoso.com'] }],
  ...extra,
})));

const crlf = (lines: string[]) => Buffer.from(`${lines.join('\r\n')}\r\n`);

async function only(raw: Buffer, t: ReturnType<typeof tenancy>, feedbackLoop: string | null = null): Promise<AnalyzedReport> {
  const { reports } = await analyzeSubmission(raw, t, { feedbackLoop });
  expect(reports).to.have.length(1);
  return reports[0]!;
}
const attribution = (r: AnalyzedReport) => ({ direction: r.direction, relayIp: r.relayIp, originatingIp: r.originatingIp, viaPlatform: r.viaPlatform });

describe('attribution contract: platform vs trusted relay, feedback-loop anchor', () => {
  it('an address in both platform.networks and trustedRelays is the platform: its egress is the relay IP (decided case 11)', async () => {
    const t = tenancy({ trustedRelays: ['40.107.0.0/16', '192.0.2.240/28'] });
    const raw = crlf([
      'Received: from mail-am6eur05.outbound.protection.outlook.com (mail-am6eur05.outbound.protection.outlook.com [40.107.22.44])',
      '\tby mx.recipient.example (Postfix) with ESMTPS id 4AbC1; Tue, 25 Nov 2025 18:00:05 +0000',
      'Received: from laptop (unknown [203.0.113.7])',
      '\tby am6pr01.prod.outlook.com with ESMTPSA; Tue, 25 Nov 2025 18:00:04 +0000',
      'From: <sales@contoso.com>', 'To: victim@recipient.example', 'Subject: offer', 'Message-ID: <both-ranges@contoso.com>', '', 'Hi.',
    ]);
    expect(attribution(await only(raw, t))).to.deep.equal({ direction: 'outbound', relayIp: '40.107.22.44', originatingIp: '203.0.113.7', viaPlatform: true });
  });

  it('a trusted relay that is not in the platform is still skipped (the rule above is about the overlap only)', async () => {
    const t = tenancy({ trustedRelays: ['192.0.2.240/28'] });
    const raw = crlf([
      'Received: from relay.bigmail.example (relay.bigmail.example [192.0.2.241])', '\tby mx.recipient.example; Tue, 25 Nov 2025 18:00:05 +0000',
      'Received: from sender.example.org (sender.example.org [198.51.100.90])', '\tby relay.bigmail.example; Tue, 25 Nov 2025 18:00:04 +0000',
      'From: <x@example.org>', 'Subject: relayed', 'Message-ID: <relayed@example.org>', '', 'Hi.',
    ]);
    expect(attribution(await only(raw, t))).to.deep.equal({ direction: 'foreign', relayIp: '198.51.100.90', originatingIp: '198.51.100.90', viaPlatform: false });
  });

  describe('a configured feedback loop', () => {
    const t = tenancy({ feedbackLoops: [{ name: 'Outlook.com JMRP', from: 'fbl@feedback.example.net' }] });
    /** An ARF report by the configured provider about a message whose full chain it kept. */
    const arf = (sourceIp: string) => crlf([
      'From: <fbl@feedback.example.net>', 'To: abuse@platform.example', 'Subject: FBL report', 'Message-ID: <fbl-outer-anchor@feedback.example.net>',
      'MIME-Version: 1.0', 'Content-Type: multipart/report; report-type=feedback-report; boundary="b1"', '',
      '--b1', 'Content-Type: text/plain', '', 'An abuse report.', '',
      '--b1', 'Content-Type: message/feedback-report', '', 'Feedback-Type: abuse', 'User-Agent: JMRP/1.0', 'Version: 1', `Source-IP: ${sourceIp}`, '',
      '--b1', 'Content-Type: message/rfc822', '',
      // The provider's own handling, then the hop where the platform's egress handed the message over
      // (recorded by the provider's MX, whose name ends with a platform host name), then the client.
      'Received: from mx1.hotmail.outlook.com (10.1.2.3) by store.hotmail.outlook.com; Tue, 25 Nov 2025 18:00:06 +0000',
      'Received: from mail-db8eur05.outbound.protection.outlook.com (mail-db8eur05.outbound.protection.outlook.com [40.107.55.5])',
      '\tby mx1.hotmail.outlook.com with ESMTPS; Tue, 25 Nov 2025 18:00:05 +0000',
      'Received: from laptop (unknown [203.0.113.9])', '\tby db8pr02.prod.outlook.com with ESMTPSA; Tue, 25 Nov 2025 18:00:04 +0000',
      'From: <sales@contoso.com>', 'To: someone@hotmail.example', 'Subject: offer', 'Message-ID: <fbl-anchored@contoso.com>', '', 'Hi.', '',
      '--b1--',
    ]);

    it('over a channel bound to it, anchors the walk on its Source-IP, which is the relay IP, and walks outbound from there (no inbound rule)', async () => {
      const r = await only(arf('40.107.55.5'), t, 'Outlook.com JMRP');
      expect(attribution(r)).to.deep.equal({ direction: 'outbound', relayIp: '40.107.55.5', originatingIp: '203.0.113.9', viaPlatform: true });
      expect(r.evidence.join('\n')).to.include('[fbl.anchor]');
    });

    it('over a channel not bound to it, the same chain reads as inbound (so the case above really tests the anchor)', async () => {
      const r = await only(arf('40.107.55.5'), t);
      expect(attribution(r)).to.deep.equal({ direction: 'inbound', relayIp: '203.0.113.9', originatingIp: '203.0.113.9', viaPlatform: false });
      expect(r.evidence.join('\n')).not.to.include('[fbl.anchor]');
    });
  });
});
