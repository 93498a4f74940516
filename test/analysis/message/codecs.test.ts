import { expect } from 'chai';
import { decodeQuotedPrintable, decodeTransfer } from '../../../shared/analysis/message/transfer-encoding.ts';
import { htmlToText } from '../../../shared/analysis/message/html-text.ts';
import { addressLocalPart } from '../../../shared/analysis/message/dsn-signals.ts';
import { splitMultipart } from '../../../shared/analysis/message/mime-tree.ts';

describe('extraction: codecs', () => {
  it('decodes quoted-printable: escapes, soft breaks (LF and CRLF), invalid escapes kept', () => {
    expect(decodeQuotedPrintable(Buffer.from('caf=C3=A9 =\nau =\r\nlait =ZZ =4')).toString('utf8')).to.equal('café au lait =ZZ =4');
  });

  it('decodes base64 leniently and leaves 8bit alone', () => {
    expect(decodeTransfer(Buffer.from('aGVs\nbG8=\n!!'), 'Base64').toString()).to.equal('hello');
    expect(decodeTransfer(Buffer.from('=41'), '8bit').toString()).to.equal('=41');
  });

  it('turns HTML into searchable lines without scripts, styles or tags', () => {
    expect(htmlToText('<style>x{}</STYLE><p>a &amp; b</p><script>evil()</script>c<br/>&#x41;&unknown;')).to.equal('\na & b\nc\nA&unknown;');
  });

  it('reads the local part of From forms bounces use', () => {
    expect(addressLocalPart('Mail Delivery System <Mailer-Daemon@e1.example.org>')).to.equal('mailer-daemon');
    expect(addressLocalPart('MAILER-DAEMON@AOL.com (Mail Delivery System)')).to.equal('mailer-daemon');
    expect(addressLocalPart('MAILER-DAEMON <>')).to.equal('mailer-daemon');
    expect(addressLocalPart(null)).to.equal(null);
  });

  it('splits at boundary lines only, not at a longer boundary sharing the prefix', () => {
    const body = Buffer.from('pre\n--b\nA\n--b-x\nnot a delimiter\n--b\r\nB\r\n--b--\nepilogue');
    const split = splitMultipart(body, 'b', 10);
    expect(split.parts.map((p) => p.toString())).to.deep.equal(['A\n--b-x\nnot a delimiter', 'B']);
    expect(split.closed).to.equal(true);
  });
});
