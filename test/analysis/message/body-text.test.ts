import { expect } from 'chai';
import { firstBodyText } from '../../../shared/analysis/message/body-text.ts';
import { decodeFlowed } from '../../../shared/analysis/message/flowed-text.ts';
import { decodeCharset } from '../../../shared/analysis/message/content-type.ts';
import { decodeQuotedPrintable } from '../../../shared/analysis/message/transfer-encoding.ts';
import { decodeEncodedWords } from '../../../shared/analysis/message/encoded-words.ts';
import { dateOf, messageIdOf, subjectOf } from '../../../shared/analysis/message/message-fields.ts';
import { bytes, mail } from './mail-builder.ts';

/** The body-text accessor and the readers the mailparser differential fixed, one behaviour each. */
describe('body text and message fields', () => {
  describe('firstBodyText', () => {
    it('gives the first text/plain body part, decoded, with LF line ends', () => {
      const raw = mail(['Content-Type: multipart/mixed; boundary=b'], [
        '--b', 'Content-Type: text/html', '', '<p>html first</p>',
        '--b', 'Content-Type: text/plain; charset=iso-8859-1', 'Content-Transfer-Encoding: quoted-printable', '', 'caf=E9 =92ok=92   \r', 'next',
        '--b--', '',
      ].join('\n'));
      expect(firstBodyText(bytes(raw))).to.equal('café ’ok’\nnext');
    });

    it('takes a text part with only a name= for body text, skips one marked as an attachment', () => {
      const raw = mail(['Content-Type: multipart/mixed; boundary=b'], [
        '--b', 'Content-Type: text/plain', 'Content-Disposition: attachment; filename=a.txt', '', 'attached',
        '--b', 'Content-Type: text/plain; name=notice.txt', '', 'shown',
        '--b--', '',
      ].join('\n'));
      expect(firstBodyText(bytes(raw))).to.equal('shown');
    });

    it('reads a Content-Type without a subtype as text/plain (RFC 2045), an HTML-only message as no text', () => {
      expect(firstBodyText(bytes(mail(['Content-Type: text plain'], 'plain body\n')))).to.equal('plain body\n');
      expect(firstBodyText(bytes(mail(['Content-Type: text/html'], '<p>x</p>')))).to.equal(null);
    });

    it('undoes format=flowed, with DelSp, quote depth and the signature separator', () => {
      const raw = mail(['Content-Type: text/plain; format=flowed; delsp=yes'], 'one \ntwo\n> quoted \n> more\n-- \nsig\n');
      expect(firstBodyText(bytes(raw))).to.equal('onetwo\n> quotedmore\n-- \nsig\n');
      expect(decodeFlowed(' stuffed \nline\n>> a \n> b\n', false)).to.equal('stuffed line\n>> a \n> b\n');
    });

    it('reads at most maxBytes of the part', () => {
      expect(firstBodyText(bytes(mail(['Subject: x'], 'a'.repeat(5000))), { maxBytes: 100 })).to.have.length(100);
    });
  });

  describe('decoding', () => {
    it('windows-1252 and ISO-8859-1 map 0x80-0x9F to their characters (Node 20 TextDecoder does not)', () => {
      for (const cs of ['windows-1252', 'ISO-8859-1', 'latin1']) expect(decodeCharset(Buffer.from([0x93, 0x41, 0x94, 0x80, 0xe9]), cs), cs).to.equal('“A”€é');
    });
    it('quoted-printable drops blanks at line ends, but a Q word keeps a final blank', () => {
      expect(decodeQuotedPrintable(Buffer.from('a \t\r\nb  c =\r\nd  ')).toString()).to.equal('a\r\nb  c d');
      expect(decodeEncodedWords('=?utf-8?Q?end_?=x')).to.equal('end x');
    });
  });

  describe('message fields', () => {
    const h = (name: string, value: string) => [{ name, value }];
    it('Message-ID in angle brackets, added when missing; blank is none', () => {
      expect(messageIdOf(h('message-id', ' abc@x.example '))).to.equal('<abc@x.example>');
      expect(messageIdOf(h('message-id', '<abc@x.example>'))).to.equal('<abc@x.example>');
      expect(messageIdOf(h('message-id', '<'))).to.equal('<>');
      expect(messageIdOf(h('message-id', '   '))).to.equal(null);
    });
    it('Date: a 12-hour time with AM/PM, a zone-less date as UTC, junk as null', () => {
      expect(dateOf(h('date', '18 Feb 01 12:29:13 AM'))).to.equal('2001-02-18T00:29:13.000Z');
      expect(dateOf(h('date', 'Mon, 5 Jan 2025 1:05:00 PM -0100'))).to.equal('2025-01-05T14:05:00.000Z');
      expect(dateOf(h('date', 'Tue, 25 Nov 2025 15:00:00'))).to.equal('2025-11-25T15:00:00.000Z');
      expect(dateOf(h('date', 'xSun, 05 Jan 2025 18:03:23 -0400'))).to.equal(null);
      expect(dateOf(h('date', 'Wed, 12 Dec 2001'))).to.equal(null);
    });
    it('Subject: RFC 2047 decoded; present and empty is ""', () => {
      expect(subjectOf(h('subject', '=?utf-8?B?w6k=?= x'))).to.equal('é x');
      expect(subjectOf(h('subject', ''))).to.equal('');
      expect(subjectOf([])).to.equal(null);
    });
  });
});
