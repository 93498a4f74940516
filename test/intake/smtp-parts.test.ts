import { expect } from 'chai';
import { Readable } from 'node:stream';
import { categoryFor, parseIntakeAddresses } from '../../api/smtp/intake-addresses.ts';
import { receivedHeader, rfc5322Date } from '../../api/smtp/received-header.ts';
import { readCapped } from '../../api/smtp/read-capped.ts';

describe('INTAKE_ADDRESSES', () => {
  it('maps local parts to categories, fbl to feedback-loop, and honours address=category', () => {
    const m = parseIntakeAddresses('Spam@Reports.Example, fbl@reports.example ,junk@reports.example=spam,phish@x.example=phishing');
    expect([...m]).to.deep.equal([
      ['spam@reports.example', 'spam'],
      ['fbl@reports.example', 'feedback-loop'],
      ['junk@reports.example', 'spam'],
      ['phish@x.example', 'phishing'],
    ]);
    expect(categoryFor(m, ' JUNK@reports.example')).to.equal('spam');
    expect(categoryFor(m, 'junk@reports.example.evil.test')).to.equal(undefined);
  });
  it('rejects a malformed address or category with config_invalid', () => {
    for (const bad of ['not-an-address', 'a@b.example=Bad Category', '', ' , ']) {
      expect(() => parseIntakeAddresses(bad), bad).to.throw().with.property('code', 'config_invalid');
    }
  });
});

describe('our Received header', () => {
  const base = { clientIp: '203.0.113.9', helo: 'mail.sender.example', ourHost: 'mx.reports.example', protocol: 'ESMTP', id: 'abc.1', recipient: 'spam@reports.example', date: new Date(Date.UTC(2026, 10, 27, 9, 5, 3)) };
  it('follows RFC 5321 §4.4 with a bracketed client IP and an RFC 5322 date', () => {
    expect(receivedHeader(base)).to.equal(
      'Received: from mail.sender.example ([203.0.113.9])\r\n\tby mx.reports.example with ESMTP id abc.1\r\n\tfor <spam@reports.example>;\r\n\tFri, 27 Nov 2026 09:05:03 +0000\r\n',
    );
  });
  it('writes IPv6 as an IPv6 address literal and leaves out `for` with several recipients', () => {
    const h = receivedHeader({ ...base, clientIp: '2001:db8::1', recipient: null });
    expect(h).to.match(/^Received: from mail\.sender\.example \(\[IPv6:2001:db8::1\]\)\r\n\tby mx\.reports\.example with ESMTP id abc\.1;\r\n/);
  });
  it('neutralises a hostile HELO so it cannot fake a second IP or end the clause', () => {
    const h = receivedHeader({ ...base, helo: 'evil (40.107.1.1]); by x\r\nX-Injected: 1' });
    expect(h.split('\r\n')[0]).to.equal('Received: from evil__40.107.1.1____by_x__X-Injected:_1 ([203.0.113.9])');
    expect(receivedHeader({ ...base, helo: null })).to.match(/^Received: from unknown /);
  });
  it('formats single-digit days without padding', () => {
    expect(rfc5322Date(new Date(Date.UTC(2026, 0, 1, 0, 0, 0)))).to.equal('Thu, 1 Jan 2026 00:00:00 +0000');
  });
});

describe('readCapped', () => {
  it('keeps a message within the limit', async () => {
    const r = await readCapped(Readable.from([Buffer.from('abc'), Buffer.from('def')]), 6);
    expect(r).to.deep.include({ size: 6, exceeded: false });
    expect(r.data.toString()).to.equal('abcdef');
  });
  it('counts but drops everything once past the limit', async () => {
    const r = await readCapped(Readable.from([Buffer.alloc(4), Buffer.alloc(4), Buffer.alloc(4)]), 6);
    expect(r).to.deep.include({ size: 12, exceeded: true });
    expect(r.data.length).to.equal(0);
  });
});

describe('readCapped on a stream that is destroyed mid-message', () => {
  it('rejects instead of waiting forever', async () => {
    const stream = new Readable({ read() {} });
    const reading = readCapped(stream, 100);
    stream.push(Buffer.from('Subject: half'));
    stream.destroy();
    let error: unknown;
    await reading.catch((e: unknown) => (error = e));
    expect(error).to.have.property('code', 'ECONNECTION');
  });
});
