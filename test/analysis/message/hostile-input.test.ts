import { expect } from 'chai';
import { extractMessages } from '../../../shared/analysis/message/extract-messages.ts';
import { DEFAULT_EXTRACTION_LIMITS } from '../../../shared/analysis/message/limits.ts';
import type { Extraction } from '../../../shared/analysis/message/types.ts';
import { corpusFile } from '../../helpers/corpus.ts';
import { bytes, forwardOf, spam } from './mail-builder.ts';

const KINDS = ['arf', 'xarf', 'forward', 'direct', 'dsn', 'auto-reply', 'empty'];
const L = DEFAULT_EXTRACTION_LIMITS;

/** Extraction of hostile input: it returns (no throw), its kind is valid and every limit holds. */
function bounded(input: Buffer, limits = L): Extraction {
  const e = extractMessages(input, limits);
  expect(KINDS).to.include(e.kind);
  expect(e.messages.length).to.be.at.most(limits.messages);
  for (const m of e.messages) expect(m.headers.length).to.be.at.most(limits.headerFields);
  if (e.messages.length === 0) expect(e.reason).to.be.a('string');
  // The catch-all in extractMessages is a safety net; these inputs must not need it.
  expect(e.reason ?? '').to.not.match(/^extraction failed/);
  return e;
}

/** A small deterministic PRNG (mulberry32), so a failure can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('extraction: hostile input', () => {
  it('survives every truncation point of a multipart report', () => {
    const arf = corpusFile('arf/sisimai/arf-16.eml');
    for (let cut = 0; cut <= arf.length; cut += 37) bounded(arf.subarray(0, cut));
  });

  it('reads parts of a multipart whose boundary is never closed', () => {
    const raw = forwardOf('Fwd: two', [spam(1), spam(2)]).replace(/--b-8-2--\n$/, '');
    const e = bounded(bytes(raw));
    expect(e.kind).to.equal('forward');
    expect(e.messages).to.have.length(2);
  });

  it('stops at the MIME depth limit on 10,000 nested multiparts', () => {
    const depth = 10_000;
    let raw = 'From: a@example.org\nSubject: deep\n';
    for (let i = 0; i < depth; i++) raw += `Content-Type: multipart/mixed; boundary="d${i}"\n\n--d${i}\n`;
    raw += 'Content-Type: text/plain\n\ncore\n';
    const e = bounded(bytes(raw));
    expect(e.kind).to.equal('direct');
    expect(e.truncated.join(' ')).to.contain(`MIME nesting deeper than ${L.mimeDepth}`);
  });

  it('stops unwrapping 10,000 nested forwards at the depth limit', () => {
    let m = spam(1);
    for (let i = 0; i < 10_000; i++) m = `From: x@example.org\nSubject: Fwd: x\nContent-Type: message/rfc822\n\n${m}`;
    const e = bounded(bytes(m));
    expect(e.kind).to.equal('forward');
    expect(e.messages).to.have.length(1);
    expect(e.truncated.join(' ')).to.contain('not unwrapped further');
  });

  it('visits at most the part limit of a multipart with 100,000 parts', () => {
    const parts = Array.from({ length: 100_000 }, () => '--p\nContent-Type: message/rfc822\n\nSubject: s\n').join('');
    const e = bounded(bytes(`From: a@example.org\nSubject: Fwd: many\nContent-Type: multipart/mixed; boundary=p\n\n${parts}--p--\n`));
    expect(e.truncated.join(' ')).to.contain(`more than ${L.mimeParts} MIME parts`);
    expect(e.messages).to.have.length(L.messages);
  });

  it('caps a 5 MB header line at the header-section limit', () => {
    const raw = bytes(`Subject: ${'a'.repeat(5 * 1024 * 1024)}\nFrom: b@example.org\n\nbody`);
    const e = bounded(raw);
    expect(e.kind).to.equal('direct');
    const subject = e.messages[0]!.headers.find((h) => h.name === 'subject')!.value;
    expect(subject.length).to.be.at.most(L.headerBytes);
    expect(e.truncated.join(' ')).to.contain(`longer than ${L.headerBytes} bytes`);
  });

  it('keeps at most the field limit of 100,000 header fields', () => {
    const raw = bytes(`From: b@example.org\n${'X-Junk: 1\n'.repeat(100_000)}\nbody`);
    const e = bounded(raw, { ...L, headerBytes: 2 * 1024 * 1024 });
    expect(e.messages[0]!.headers).to.have.length(L.headerFields);
    expect(e.truncated.join(' ')).to.contain(`more than ${L.headerFields} header fields`);
  });

  it('tolerates invalid charsets and broken encodings', () => {
    const raw = [
      'From: =?x-klingon?B?!!!?= <a@example.org>',
      'Subject: =?utf-8?Q?=ZZ=C3?= Fwd: =?nope?B?AAAA?=',
      'Content-Type: multipart/mixed; boundary=z',
      '',
      '--z',
      'Content-Type: text/plain; charset=x-does-not-exist',
      'Content-Transfer-Encoding: base64',
      '',
      '!!!!not base64 ==== @@@',
      '--z',
      'Content-Type: message/rfc822',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'Subject: =E9t=\n=C3=A9=',
      '--z--',
    ].join('\n');
    const e = bounded(bytes(raw));
    expect(e.kind).to.equal('forward');
  });

  it('survives random bytes and byte-flipped corpus messages', () => {
    const rnd = prng(20261127);
    const seeds = ['arf/abuseio/spamexperts-11.eml', 'x-arf/abuseio/netcraft-Netcraft_Example_1.eml', 'dsn/sisimai/lhost-qmail-01.eml', 'ham/spamassassin/mime9.eml'].map(corpusFile);
    for (let i = 0; i < 300; i++) {
      const n = Math.floor(rnd() * 8192);
      const noise = Buffer.alloc(n);
      for (let k = 0; k < n; k++) noise[k] = Math.floor(rnd() * 256);
      bounded(noise);
      const base = Buffer.from(seeds[i % seeds.length]!);
      for (let f = 0; f < 20; f++) base[Math.floor(rnd() * base.length)] = Math.floor(rnd() * 256);
      bounded(base);
    }
  });

  it('never throws on input that is not a Buffer', () => {
    for (const bad of [undefined, null, 'text', 42, {}]) {
      expect(extractMessages(bad as unknown as Buffer).kind).to.equal('empty');
    }
  });
});
