import { expect } from 'chai';
import { simpleParser } from 'mailparser';
import { composeArf } from '../../shared/notifications/compose-arf.ts';
import { redactMessage } from '../../shared/notifications/redact.ts';
import { extractMessages } from '../../shared/analysis/message/extract-messages.ts';
import { analyzeSubmission } from '../../shared/analysis/analyze.ts';
import { compileTenancy } from '../../shared/tenancy/compile-tenancy.ts';
import { loadTenancyFile } from '../../shared/tenancy/parse-tenancy.ts';
import { corpusFile } from '../helpers/corpus.ts';
import { forwardedSpam, leakedAddress, RECIPIENT, REPORTER } from './helpers.ts';

const tenancy = compileTenancy(loadTenancyFile('examples/demo-tenancy.yaml'));

function arfOf(reported: Buffer, attachMaxBytes = 1 << 20, redact: string[] = [REPORTER]) {
  return composeArf({
    from: 'Abuse desk <abuse@desk.example>', to: ['abuse@contoso.com'], messageId: '<n1@desk.example>', subject: 'Abuse report about mail from Contoso Ltd',
    date: new Date('2025-11-25T12:00:00Z'), humanText: (why) => `Attached: ${why}`, feedbackType: 'abuse', userAgent: 'abuse-intake/0.1',
    sourceIp: '203.0.113.7', arrivalDate: new Date('2025-11-25T10:00:05Z'), originalMailFrom: 'bounces@contoso.com', reportedDomain: 'contoso.com',
    reported, redactAddresses: redact, attachMaxBytes,
  });
}

describe('ARF composer (RFC 5965) with redaction', () => {
  const spam = extractMessages(forwardedSpam()).messages[0]!.raw;

  it('is read back by our own analysis core as an ARF report about the attached message', async () => {
    const arf = arfOf(spam);
    const analysis = await analyzeSubmission(arf.raw, tenancy);
    expect(analysis.kind).to.equal('arf');
    const [r] = analysis.reports;
    expect(r!.feedbackType).to.equal('abuse');
    expect(r!.arf!.sourceIp).to.equal('203.0.113.7');
    expect(r!.arf!.version).to.equal('1');
    expect(r!.arf!.reportedDomain).to.deep.equal(['contoso.com']);
    expect(r!.arf!.originalRcptTo).to.deep.equal([]); // redacted, so not sent at all
    expect(r!.messageId).to.equal('<outbound-smtp-1@contoso.com>');
    expect(r!.subject).to.equal('Cheap watches');
    // The attached message still walks: the platform egress and the contoso client are found.
    expect(r!.originatingIp).to.equal('203.0.113.7');
    expect(r!.tenant).to.equal('contoso');
  });

  it('is read by mailparser as multipart/report with the three parts', async () => {
    const arf = arfOf(spam);
    const parsed = await simpleParser(arf.raw);
    expect(parsed.headers.get('content-type')).to.deep.include({ value: 'multipart/report' });
    expect((parsed.headers.get('content-type') as { params: Record<string, string> }).params['report-type']).to.equal('feedback-report');
    expect(parsed.headers.get('auto-submitted')).to.equal('auto-generated');
    expect(parsed.text).to.include('Attached: the whole message');
    const types = parsed.attachments.map((a) => a.contentType);
    expect(types).to.include('message/feedback-report');
    expect(types).to.include('message/rfc822');
    const report = parsed.attachments.find((a) => a.contentType === 'message/feedback-report')!.content.toString();
    expect(report).to.match(/^Feedback-Type: abuse$/m).and.match(/^Source-IP: 203\.0\.113\.7$/m).and.match(/^Version: 1$/m);
    expect(report).to.match(/^Original-Mail-From: <bounces@contoso\.com>$/m);
    expect(report).not.to.match(/Original-Rcpt-To/i);
  });

  it('leaves no recipient or reporter address anywhere in the bytes', () => {
    const arf = arfOf(spam);
    expect(leakedAddress(spam, [RECIPIENT, REPORTER])).to.not.equal(null); // the fixture does carry them
    expect(leakedAddress(arf.raw, [RECIPIENT, REPORTER])).to.equal(null);
    expect(arf.redacted).to.include(RECIPIENT).and.include(REPORTER);
    expect(arf.raw.toString()).to.include('for <redacted@redacted.invalid>');
  });

  it('attaches only the header section above the size limit', async () => {
    const arf = arfOf(spam, 200);
    expect(arf.attached).to.equal('text/rfc822-headers');
    const analysis = await analyzeSubmission(arf.raw, tenancy);
    expect(analysis.kind).to.equal('arf');
    expect(analysis.reports[0]!.messageId).to.equal('<outbound-smtp-1@contoso.com>');
    expect(arf.raw.toString()).not.to.include('buy now');
  });

  it('falls back to the header section when a base64 body names a redacted address', () => {
    const b64 = Buffer.from(`secret note for ${RECIPIENT}\n`).toString('base64');
    const withEncoded = Buffer.from(`${spam.toString('latin1').replace(/\r?\n\r?\n[\s\S]*$/, '')}\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64}\r\n`, 'latin1');
    const arf = arfOf(withEncoded);
    expect(arf.attached).to.equal('text/rfc822-headers');
    expect(arf.attachedReason).to.match(/encoded body/);
    expect(leakedAddress(arf.raw, [RECIPIENT, REPORTER])).to.equal(null);
    expect(arf.raw.toString()).not.to.include(b64);
  });

  it('keeps a corpus message with a clean base64 body whole', async () => {
    const raw = corpusFile('spam/spamassassin/base64.txt.eml');
    const r = redactMessage(raw, []);
    expect(r.bodyIsClean).to.equal(true);
    const arf = arfOf(raw);
    expect(arf.attached).to.equal('message/rfc822');
    expect((await analyzeSubmission(arf.raw, tenancy)).kind).to.equal('arf');
  });

  it('writes no header injection from hostile fields', () => {
    const arf = composeArf({ ...{ from: 'a@b.example', to: ['t@t.example'], messageId: '<x@y>', date: new Date(), userAgent: 'ua', attachMaxBytes: 1000 },
      subject: 'hi\r\nBcc: evil@example.org', humanText: 'x', reported: Buffer.from('Subject: s\r\n\r\nbody\r\n'), reportedDomain: 'd.example\r\nX-Evil: 1' });
    expect(arf.raw.toString()).not.to.match(/^Bcc:/m).and.not.to.match(/^X-Evil:/m);
  });
});
