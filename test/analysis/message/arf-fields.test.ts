import { expect } from 'chai';
import { extractMessages } from '../../../shared/analysis/message/extract-messages.ts';
import { corpusFile } from '../../helpers/corpus.ts';
import type { ArfFields } from '../../../shared/analysis/types.ts';

function arfOf(rel: string): ArfFields {
  const e = extractMessages(corpusFile(rel));
  expect(e.messages, rel).to.have.length(1);
  const arf = e.messages[0]!.arf;
  expect(arf, rel).to.not.equal(null);
  return arf!;
}

describe('extraction: ARF fields', () => {
  it('reads every field of a Return Path report with many recipients and two Reported-Domain (arf-16)', () => {
    expect(arfOf('arf/sisimai/arf-16.eml')).to.deep.include({
      feedbackType: 'abuse',
      userAgent: 'ReturnPathFBL/1.0',
      version: '1',
      sourceIp: '192.0.2.1',
      originalMailFrom: 'neko@example.jp',
      arrivalDate: 'Thu, 29 Apr 2015 23:34:45 +0000',
      reportedDomain: ['example.com', 'example.org'],
    });
    expect(arfOf('arf/sisimai/arf-16.eml').originalRcptTo).to.deep.equal([
      'kijitora@example.com',
      'sironeko@example.com',
      'mikeneko@example.com',
      'sabatora@example.com',
      'sirokiji@example.org',
      'kuroneko@example.com',
      'sabineko@example.com',
    ]);
  });

  it('reads an IPv6 Source-IP from a SpamExperts report (CRLF)', () => {
    expect(arfOf('arf/abuseio/spamexperts-11.eml').sourceIp).to.equal('fdf1:cb9d:f59e:19b0:0:0:0:122');
  });

  it('strips the angle brackets of Original-Rcpt-To (spamexperts-1)', () => {
    const arf = arfOf('arf/abuseio/spamexperts-1.eml');
    expect(arf.sourceIp).to.equal('172.16.10.13');
    expect(arf.originalRcptTo).to.deep.equal(['ashley@example.com']);
    expect(arf.originalMailFrom).to.equal('admin@example.com');
    expect(arf.userAgent).to.match(/^SpamExperts/);
  });

  it('matches field names case-insensitively (lower-case Source-Ip in arf-25)', () => {
    const arf = arfOf('arf/sisimai/arf-25.eml');
    expect(arf.sourceIp).to.equal('10.0.0.1');
    expect(arf.userAgent).to.equal('ReturnPathFBL/2.0');
  });

  it('takes the historic Received-Date for the arrival date (arf-01)', () => {
    const arf = arfOf('arf/sisimai/arf-01.eml');
    expect(arf.arrivalDate).to.equal('Thu, 29 Apr 2009 00:00:00 -0000 (EST)');
    expect(arf.sourceIp).to.equal('192.0.2.89');
    expect(arf.reportedDomain).to.deep.equal(['example.ed.jp']);
  });

  it('reads Version 0.1 and the misspelled text/rfc822-header original (arf-12)', () => {
    const e = extractMessages(corpusFile('arf/sisimai/arf-12.eml'));
    const m = e.messages[0]!;
    expect(m.arf?.feedbackType).to.equal('opt-out');
    expect(m.arf?.version).to.equal('0.1');
    expect(m.source).to.equal('rfc822-headers');
    expect(m.headers.find((h) => h.name === 'received')?.value).to.contain('[192.0.2.89]');
    expect(m.notes.join(' ')).to.contain('text/rfc822-header');
  });

  it('reads the headers-only original of a DMARC failure report (arf-20, text/rfc822-headers)', () => {
    const e = extractMessages(corpusFile('arf/sisimai/arf-20.eml'));
    expect(e.messages[0]!.source).to.equal('rfc822-headers');
    expect(e.messages[0]!.arf?.feedbackType).to.equal('auth-failure');
    expect(e.messages[0]!.headers.length).to.be.greaterThan(3);
  });

  it('reads several Reported-URI and the original behind a mbox-escaped >From line', () => {
    expect(arfOf('mime/postal-mime/arf.eml').reportedUri).to.deep.equal(['http://example.net/earn_money.html', 'mailto:user@example.com']);
    const yahoo = extractMessages(corpusFile('arf/abuseio/feedback-loop-Yahoo_example_1.eml')).messages[0]!;
    expect(yahoo.headers[0]!.name).to.equal('x-apparently-to');
    expect(yahoo.headers.some((h) => h.name === 'received')).to.equal(true);
  });

  it('keeps the report wrapper (the provider) apart from the reported message', () => {
    const e = extractMessages(corpusFile('arf/sisimai/arf-16.eml'));
    expect(e.wrapper?.subject).to.equal('Abuse Report');
    expect(e.messages[0]!.headers.find((h) => h.name === 'subject')?.value).to.equal('Nyaan');
  });
});

describe('extraction: X-ARF fields', () => {
  it('reads an X-ARF 0.2 report (blocklist.de): category, report type, IP source', () => {
    const e = extractMessages(corpusFile('x-arf/abuseio/blocklistde-Blocklistde_Example_1.eml'));
    expect(e.kind).to.equal('xarf');
    const m = e.messages[0]!;
    expect(m.source).to.equal('xarf-attachment');
    expect(m.headers).to.deep.equal([]);
    expect(m.arf).to.deep.include({ feedbackType: 'abuse', sourceIp: '10.0.2.150', version: '0.2', sourcePort: 80 });
    expect(m.arf?.extra?.['Report-Type']).to.equal('regbot');
    expect(m.notes.join(' ')).to.contain('without evidence');
  });

  it('reads an IPv6 source (clean-mx, X-ARF 0.1, Source-Type ip-address)', () => {
    const arf = extractMessages(corpusFile('x-arf/abuseio/cleanmx-Cleanmx_Example_3.eml')).messages[0]!.arf!;
    expect(arf.sourceIp).to.equal('fdf1:cb9d:f59e:19b0:45ff:0:0:1');
    expect(arf.feedbackType).to.equal('info');
  });

  it('reads a quoted-printable report part with Source-Type ipv4 (Netcraft)', () => {
    const arf = extractMessages(corpusFile('x-arf/abuseio/netcraft-Netcraft_Example_1.eml')).messages[0]!.arf!;
    expect(arf.sourceIp).to.equal('10.0.2.2');
    expect(arf.extra?.['Report-Type']).to.equal('malware-attack');
    expect(arf.userAgent).to.equal('Netcraft Takedown');
  });

  it('keeps a URI source as a reported URI, not an IP (Netcraft phishing)', () => {
    const arf = extractMessages(corpusFile('x-arf/abuseio/netcraft-Netcraft_Example_3.eml')).messages[0]!.arf!;
    expect(arf.sourceIp).to.equal(null);
    expect(arf.reportedUri[0]).to.match(/^http:\/\/customer1\.tld\//);
    expect(arf.reportedDomain).to.deep.equal(['customer1.tld']);
    expect(arf.feedbackType).to.equal('fraud');
  });
});
