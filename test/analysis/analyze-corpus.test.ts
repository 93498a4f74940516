import { expect } from 'chai';
import { analyzeSubmission } from '../../shared/analysis/analyze.ts';
import { compileTenancy } from '../../shared/tenancy/compile-tenancy.ts';
import { EMPTY_TENANCY } from '../../shared/tenancy/tenancy.schema.ts';
import { corpusFile, corpusFolder } from '../helpers/corpus.ts';
import { contosoTenancy } from './attribute/helpers.ts';

const T = contosoTenancy();

/**
 * Real spam, checked by hand: for each, which hop is the first untrusted one (the recipient's own
 * handling skipped: no address, loopback/private, fetchmail), hence the relay IP. No corpus address is
 * inside the test platform, so all are foreign.
 */
const PINNED: [file: string, relayIp: string, decidingHop: number, why: string][] = [
  ['spamassassin/001.eml', '193.120.211.219', 0, 'top hop: webnote.net handed it to mail.netnoteinc.com; nothing to skip'],
  ['spamassassin/002.eml', '209.90.19.2', 1, 'hop 0 is a local Postfix pickup ("by mail ... from userid 500"), no address'],
  ['spamassassin/003.eml', '193.120.149.226', 2, 'hop 0 localhost, hop 1 fetchmail over IMAP (no connecting address); gw.netnoteinc.com relayed it'],
  ['spamassassin/005.eml', '213.105.180.140', 2, 'same fetchmail set-up; mandark.labs.netnoteinc.com delivered to dogma'],
  ['spamassassin/008.eml', '4.48.136.190', 0, 'a single hop: the dial-up host that spoke to www.goabroad.com.cn'],
  ['spamassassin/012.eml', '80.8.136.186', 0, 'claims paypal.com; the "from [8.141.200.111] by mail1.paypal.com" below it is the sender\'s own text'],
  ['spamassassin/015.eml', '200.83.104.67', 0, 'a cable-modem host (unknown rDNS) connected to eclectic.kluge.net; the hop below is forged'],
  ['spamassassin/base64.txt.eml', '61.156.13.71', 2, 'hops 0–1 are tcd.ie internal relays recorded by name only'],
  ['spamassassin/unicode2.eml', '103.158.37.49', 1, 'hop 0 is the content filter (172.16.2.249, private)'],
  ['spamassassin/badmime2.txt.eml', '24.3.96.11', 0, 'a Comcast client connected straight to eclectic.kluge.net'],
  ['rspamd/bad_message.eml', '89.163.231.166', 1, 'hop 0 is mx.mezon.local handing over internally (no address)'],
  ['rspamd/external_relay.eml', '37.48.67.26', 1, 'hop 0 came from 192.168.1.1 (private)'],
  ['rspamd/received2.eml', '2a01:7c8:aab6:26d:5054:ff:fed1:1da2', 2, 'hops 0–1 are junk "Received: apparently" lines; IPv6 sender below'],
  ['rspamd/received5.eml', '4.31.198.44', 1, 'hop 0 localhost; the amavis hop records mail.ietf.org; 192.0.2.1 below is untrusted'],
];

describe('analysis of the real corpus', () => {
  describe('pinned relay IPs (checked by hand)', () => {
    for (const [file, relayIp, decidingHop, why] of PINNED) {
      it(`${file}: ${relayIp} — ${why}`, async () => {
        const [r, ...rest] = (await analyzeSubmission(corpusFile(`spam/${file}`), T)).reports;
        expect(rest).to.have.length(0);
        expect(r!.relayIp).to.equal(relayIp);
        expect(r!.originatingIp).to.equal(relayIp);
        expect(r!.direction).to.equal('foreign');
        expect(r!.decidingHop).to.equal(decidingHop);
        expect(r!.tenant).to.equal(null);
      });
    }
  });

  describe('trusted relays move the first untrusted hop down', () => {
    it('003: with the recipient\'s own gateway trusted, the Chinese relay that spoke to it is the relay', async () => {
      const t = compileTenancy({ ...EMPTY_TENANCY, trustedRelays: ['193.120.149.226/32'] });
      const [r] = (await analyzeSubmission(corpusFile('spam/spamassassin/003.eml'), t)).reports;
      expect(r!.relayIp).to.equal('211.100.6.104');
      expect(r!.decidingHop).to.equal(4);
    });
    it('dnsbl.eml: SpamAssassin\'s trust path example (three trusted relays) ends at notrust\'s client', async () => {
      const t = compileTenancy({ ...EMPTY_TENANCY, trustedRelays: ['150.51.53.1/32', '212.17.35.14/32', '193.120.149.226/32'] });
      const [r] = (await analyzeSubmission(corpusFile('spam/spamassassin/dnsbl.eml'), t)).reports;
      expect(r!.relayIp).to.equal('61.119.13.18');
    });
  });

  describe('every corpus message', () => {
    const all = ['arf', 'x-arf', 'dsn', 'auto-reply', 'spam', 'ham', 'mime'].flatMap((d) => corpusFolder(d));
    it(`analyses all ${all.length} without a throw, each report with an evidence trail`, async () => {
      for (const [file, raw] of all) {
        const a = await analyzeSubmission(raw, T);
        for (const r of a.reports) expect(r.evidence.length, file).to.be.greaterThan(0);
        if (a.reports.length === 0) expect(a.reason, file).to.be.a('string');
      }
    });
    it('bounces and auto-replies give no report', async () => {
      for (const [file, raw] of [...corpusFolder('dsn'), ...corpusFolder('auto-reply')]) {
        const a = await analyzeSubmission(raw, T);
        expect(a.kind, file).to.be.oneOf(['dsn', 'auto-reply']);
        expect(a.reports, file).to.have.length(0);
      }
    });
    it('ARF reports carry their Feedback-Type; unconfigured providers\' Source-IP is evidence only', async () => {
      for (const [file, raw] of corpusFolder('arf/abuseio')) {
        const a = await analyzeSubmission(raw, T);
        if (a.kind !== 'arf') continue;
        for (const r of a.reports) {
          expect(r.feedbackType, file).to.be.a('string');
          if (r.arf?.sourceIp) expect(r.evidence.some((l) => l.includes('[fbl.unconfigured]')), file).to.equal(true);
        }
      }
    });
  });
});
