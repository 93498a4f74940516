import { expect } from 'chai';
import { extractMessages } from '../../../shared/analysis/message/extract-messages.ts';
import { readHeaderSection, headerValue } from '../../../shared/analysis/message/header-section.ts';
import { parseHeaderValue } from '../../../shared/analysis/message/content-type.ts';
import { decodeEncodedWords } from '../../../shared/analysis/message/encoded-words.ts';
import { DEFAULT_EXTRACTION_LIMITS } from '../../../shared/analysis/message/limits.ts';
import { corpusFile } from '../../helpers/corpus.ts';
import { bytes, spam } from './mail-builder.ts';

const L = DEFAULT_EXTRACTION_LIMITS;

describe('extraction: header section', () => {
  it('skips an mbox "From " envelope line', () => {
    const hs = readHeaderSection(bytes(`From spammer@example.com  Mon Jan  1 00:00:00 2024\n${spam(1)}`), L);
    expect(hs.headers[0]!.name).to.equal('received');
    const e = extractMessages(corpusFile('ham/spamassassin/001.eml'));
    expect(e.kind).to.equal('direct');
    expect(e.messages[0]!.headers.some((h) => h.name === 'from ')).to.equal(false);
  });

  it('reads CRLF and LF messages the same way', () => {
    const lf = spam(2).replace('Subject: Cheap', 'Subject: Cheap\n  folded');
    const crlf = lf.replace(/\n/g, '\r\n');
    const a = extractMessages(bytes(lf)).messages[0]!.headers;
    const b = extractMessages(bytes(crlf)).messages[0]!.headers;
    expect(b).to.deep.equal(a);
    expect(headerValue(a, 'subject')).to.equal('Cheap folded offer number 2');
  });

  it('unfolds a folded Received header into one line', () => {
    const hs = readHeaderSection(bytes('Received: from a.example (a.example [192.0.2.1])\r\n\tby b.example with ESMTP;\r\n Mon, 1 Jan 2024\r\n\r\nbody'), L);
    expect(hs.headers).to.deep.equal([{ name: 'received', value: 'from a.example (a.example [192.0.2.1]) by b.example with ESMTP; Mon, 1 Jan 2024' }]);
  });

  it('treats pasted headers with no blank line and no body as a direct message', () => {
    const pasted = spam(3).split('\n\n')[0]!;
    const e = extractMessages(bytes(pasted));
    expect(e.kind).to.equal('direct');
    expect(e.messages[0]!.headers.filter((h) => h.name === 'received')).to.have.length(2);
  });

  it('finds a header block pasted after a line of text (web form paste)', () => {
    const e = extractMessages(bytes(`Here are the headers of the spam I got:\n${spam(4).split('\n\n')[0]}`));
    expect(e.kind).to.equal('direct');
    expect(e.messages[0]!.notes.join(' ')).to.contain('after leading text');
  });

  it('decodes 8-bit header bytes as UTF-8, falling back to latin1 when they are not UTF-8', () => {
    const utf8 = Buffer.concat([bytes('Subject: '), Buffer.from('Grüße', 'utf8'), bytes('\nFrom: a@b.example\n\nx')]);
    const latin1 = Buffer.concat([bytes('Subject: '), Buffer.from('Grüße', 'latin1'), bytes('\nFrom: a@b.example\n\nx')]);
    expect(headerValue(readHeaderSection(utf8, L).headers, 'subject')).to.equal('Grüße');
    expect(headerValue(readHeaderSection(latin1, L).headers, 'subject')).to.equal('Grüße');
  });

  it('decodes RFC 2047 words in the wrapper subject and from', () => {
    expect(decodeEncodedWords('=?UTF-8?B?R3LDvMOfZQ==?= =?ISO-8859-1?Q?und_mehr?=')).to.equal('Grüßeund mehr');
    expect(decodeEncodedWords('=?bogus-charset?Q?abc?=')).to.equal('abc');
    expect(decodeEncodedWords('=?UTF-8?X?abc?= plain')).to.equal('=?UTF-8?X?abc?= plain');
    const e = extractMessages(corpusFile('arf/sisimai/arf-22.eml'));
    expect(e.wrapper?.subject).to.equal('complaint about message from 192.0.2.222');
  });

  it('parses Content-Type parameters: quoted, unquoted, RFC 2231 continuations and charsets', () => {
    expect(parseHeaderValue('Multipart/Report; report-type="feedback-report"; boundary=abc')).to.deep.equal({
      value: 'multipart/report',
      params: { 'report-type': 'feedback-report', boundary: 'abc' },
    });
    expect(parseHeaderValue('text/plain; name*0="a;b"; name*1=".txt"').params.name).to.equal('a;b.txt');
    expect(parseHeaderValue("text/plain; name*=utf-8''%E2%82%AC.txt").params.name).to.equal('€.txt');
    expect(parseHeaderValue('text/plain; ; ;charset="\\"q\\""').params.charset).to.equal('"q"');
    expect(parseHeaderValue('multipart/mixed; boundary=001a1146cdf22cc146054e758b3b;').params.boundary).to.equal('001a1146cdf22cc146054e758b3b');
  });

  it('reads a boundary parameter folded without indentation (lhost-apachejames-01)', () => {
    const e = extractMessages(corpusFile('dsn/sisimai/lhost-apachejames-01.eml'));
    expect(e.kind).to.equal('dsn');
    expect(e.truncated).to.deep.equal([]);
  });

  it('classifies nothing usable as empty with a reason', () => {
    for (const input of [Buffer.alloc(0), bytes('\n\n\n'), bytes('just some text\nwithout headers\n'), bytes('Dear customer: hello\n')]) {
      const e = extractMessages(input);
      expect(e.kind).to.equal('empty');
      expect(e.messages).to.deep.equal([]);
      expect(e.reason).to.be.a('string');
    }
  });

  describe('past the limits, the first From, Subject, Date, Message-ID and MIME fields are still read', () => {
    const tail = 'From: Spammer <spam@example.com>\nSubject: Hidden\nX-Later: dropped\nSubject: second\nContent-Type: text/plain; charset=utf-8\n\nbody\n';

    it('past the field count: essential fields kept (first occurrence), the others dropped and counted', () => {
      const junk = Array.from({ length: 2500 }, (_, i) => `X-Junk-${i}: ${i}\n`).join('');
      const hs = readHeaderSection(bytes(junk + tail), L);
      expect(hs.headers).to.have.length(2000 + 3);
      expect(headerValue(hs.headers, 'from')).to.equal('Spammer <spam@example.com>');
      expect(headerValue(hs.headers, 'subject')).to.equal('Hidden');
      expect(headerValue(hs.headers, 'content-type')).to.equal('text/plain; charset=utf-8');
      expect(headerValue(hs.headers, 'x-later')).to.equal(null);
      expect(hs.truncated).to.deep.equal(['more than 2000 header fields: 502 dropped']);
      expect(bytes(junk + tail).subarray(hs.bodyStart).toString()).to.equal('body\n');
    });

    it('past the byte limit: a folded field open at the limit is cut there, later essentials are read, the body found', () => {
      const received = Array.from({ length: 3000 }, (_, i) => `Received: from h${i} ([203.0.113.${i % 250}]) by mx.example.net; Mon, 1 Jan 2024 00:00:00 +0000\n`).join('');
      const folded = `X-Huge: ${Array.from({ length: 40_000 }, (_, i) => `w${i}`).join('\n\t')}\n`;
      for (const head of [received, folded]) {
        const raw = bytes(head + tail);
        const hs = readHeaderSection(raw, L);
        expect(headerValue(hs.headers, 'subject')).to.equal('Hidden');
        expect(headerValue(hs.headers, 'from')).to.equal('Spammer <spam@example.com>');
        expect(headerValue(hs.headers, 'x-later')).to.equal(null);
        expect(hs.truncated[0]).to.match(/^header section longer than 262144 bytes: past it only the first From, Subject/);
        expect(raw.subarray(hs.bodyStart).toString()).to.equal('body\n');
      }
    });

    it('a message whose From sits behind 3,000 junk fields still names its sender in the report', () => {
      const junk = Array.from({ length: 3000 }, (_, i) => `X-Junk-${i}: ${i}\n`).join('');
      const e = extractMessages(bytes(junk + spam(5)));
      expect(e.kind).to.equal('direct');
      expect(headerValue(e.messages[0]!.headers, 'from')).to.equal('Spammer 5 <spam5@example.com>');
    });
  });
});
