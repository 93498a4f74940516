import { expect } from 'chai';
import { parseReceived } from '../../../shared/analysis/received/parse-received.ts';
import { normalizeIp } from '../../../shared/analysis/net/normalize-ip.ts';
import { CORPUS_DIR } from '../../helpers/corpus.ts';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Deterministic pseudo-random bytes (mulberry32), so a failure can be replayed. */
function randomText(seed: number, length: number): string {
  let a = seed >>> 0;
  let out = '';
  for (let i = 0; i < length; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out += String.fromCharCode(((t ^ (t >>> 14)) >>> 0) % 256);
  }
  return out;
}

/** Every field a Hop carries besides index, format and raw: all must be null for pure junk. */
const DATA_FIELDS = ['ip', 'rdns', 'helo', 'by', 'protocol', 'id', 'auth', 'for', 'date'] as const;

describe('Received parser: hostile input', () => {
  const junk: [string, string][] = [
    ['1 MB of "("', '('.repeat(1 << 20)],
    ['100k "["', '['.repeat(100_000)],
    ['100k "<"', '<'.repeat(100_000)],
    ['100k ")"', ')'.repeat(100_000)],
    ['100k ";"', ';'.repeat(100_000)],
    ['NUL bytes', '\u0000'.repeat(10_000)],
    ['empty', ''],
  ];
  for (const [label, value] of junk) {
    it(`returns a Hop of nulls for ${label}`, () => {
      const hop = parseReceived(value, 1);
      for (const f of DATA_FIELDS) expect(hop[f], f).to.equal(null);
      expect(hop.index).to.equal(1);
      expect(hop.raw.length).to.be.at.most(8192);
    });
  }

  it('reads only the first 8 KiB of a huge header built from valid parts', () => {
    const hop = parseReceived(`from a (b [198.51.100.1]) by c ${'(x) '.repeat(500_000)}; Mon, 1 Mar 2021 10:00:00 +0000`, 0);
    expect(hop.ip).to.equal('198.51.100.1');
    expect(hop.date).to.equal(null); // the date lies beyond the cap
    expect(hop.raw.length).to.be.at.most(8192);
  });

  it('survives deeply nested comments inside the from-clause', () => {
    const hop = parseReceived(`from x ${'('.repeat(4000)}y [198.51.100.1]${')'.repeat(4000)} by z`, 0);
    expect(hop.by).to.equal('z');
    expect(hop.ip).to.equal(null); // a literal nested 4,000 deep is not the one the receiver recorded
    const unbalanced = parseReceived(`from x ${'('.repeat(4000)}y [198.51.100.1] by z`, 0);
    expect(unbalanced.by).to.equal(null); // an unclosed comment runs to the end
  });

  it('survives repeated keyword and bracket storms', () => {
    for (const v of ['from '.repeat(20_000), 'by '.repeat(20_000), '(HELO '.repeat(20_000), '[IPv6:'.repeat(20_000), 'from [ '.repeat(20_000), 'helo= '.repeat(20_000)]) {
      expect(parseReceived(v, 0).ip).to.equal(null);
    }
  });

  it('returns a Hop for 2,000 random byte strings, with any ip in canonical form', () => {
    for (let seed = 1; seed <= 2000; seed++) {
      const hop = parseReceived(randomText(seed, 1 + (seed % 700)), seed);
      expect(hop.index).to.equal(seed);
      if (hop.ip !== null) expect(normalizeIp(hop.ip), `seed ${seed}`).to.equal(hop.ip);
    }
  });

  it('returns a Hop for random mutations of real Received lines', () => {
    const base = 'from mail.example.org (rdns.example.org [IPv6:2001:db8::5]) (using TLSv1.3) by mx.example.net (Postfix) with ESMTPS id 4F; Mon, 1 Mar 2021 10:00:00 +0000';
    for (let seed = 1; seed <= 2000; seed++) {
      const r = randomText(seed, 3);
      const cut = (r.charCodeAt(0) * base.length) >> 8;
      const mutated = base.slice(0, cut) + r[1]! + base.slice(cut + (r.charCodeAt(2) % 4));
      const hop = parseReceived(mutated, 0);
      if (hop.ip !== null) expect(normalizeIp(hop.ip)).to.equal(hop.ip);
    }
  });

  it('never throws on non-string input', () => {
    for (const v of [undefined, null, 42, {}, ['from a']]) {
      const hop = parseReceived(v as unknown as string, 0);
      expect(hop.ip).to.equal(null);
      expect(hop.raw).to.equal('');
    }
  });
});

describe('Received parser: every Received header in the corpus', () => {
  /** Received values of a message's top-level header section, unfolded (a test-local reader, not the product's). */
  function receivedValues(eml: string): string[] {
    const end = eml.search(/\r?\n\r?\n/);
    const head = (end < 0 ? eml : eml.slice(0, end)).replace(/\r?\n[ \t]/g, ' ');
    return head.split(/\r?\n/).filter((l) => /^received:/i.test(l)).map((l) => l.slice(9).trim());
  }

  const files = readdirSync(CORPUS_DIR, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.eml'));
  let total = 0;
  let withIp = 0;

  it('parses each one into a Hop whose ip (if any) is canonical and whose names are lower-case', () => {
    for (const f of files) {
      for (const v of receivedValues(readFileSync(join(CORPUS_DIR, f), 'latin1'))) {
        const hop = parseReceived(v, 0);
        total++;
        if (hop.ip !== null) {
          withIp++;
          expect(normalizeIp(hop.ip), `${f}: ${v}`).to.equal(hop.ip);
        }
        for (const name of [hop.rdns, hop.helo, hop.by]) if (name !== null) expect(name, f).to.equal(name.toLowerCase());
      }
    }
    expect(total).to.be.greaterThan(300);
    expect(withIp).to.be.greaterThan(total / 3);
  });
});
