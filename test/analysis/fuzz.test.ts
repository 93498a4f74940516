import { readdirSync, readFileSync } from 'node:fs';
import { expect } from 'chai';
import { analyzeSubmission } from '../../shared/analysis/analyze.ts';
import { MAX_HOPS } from '../../shared/analysis/attribute/attribute-message.ts';
import { MAX_EVIDENCE_LINE, MAX_EVIDENCE_LINES } from '../../shared/analysis/attribute/evidence.ts';
import { compileTenancy } from '../../shared/tenancy/compile-tenancy.ts';
import { loadTenancyFile } from '../../shared/tenancy/parse-tenancy.ts';
import { corpusFolder } from '../helpers/corpus.ts';

/**
 * Hostile input: thousands of deterministic mutations of real messages (and of the hand-written
 * attribution fixtures, so the DKIM path is fuzzed too). analyzeSubmission has no catch-all, so any
 * throw from extraction, the Received parser, the walk or attribution fails this test.
 */
const SEED = 0x5eed_abcd;
const ROUNDS = 2000;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const fixturesDir = new URL('../fixtures/attribution/', import.meta.url);
const tenancy = compileTenancy(loadTenancyFile(new URL('verified-tenancy.yaml', fixturesDir).pathname));
const seeds: Buffer[] = [
  ...['spam', 'ham', 'arf', 'x-arf', 'dsn', 'mime'].flatMap((d) => corpusFolder(d).map(([, raw]) => raw)),
  ...readdirSync(fixturesDir).filter((f) => f.endsWith('.eml')).map((f) => readFileSync(new URL(f, fixturesDir))),
];

type Mutation = (raw: Buffer, rnd: () => number) => Buffer;
const int = (rnd: () => number, n: number) => Math.floor(rnd() * n);
const ip = (rnd: () => number) => `${int(rnd, 256)}.${int(rnd, 256)}.${int(rnd, 256)}.${int(rnd, 256)}`;

const MUTATIONS: [string, Mutation][] = [
  ['truncate', (raw, rnd) => raw.subarray(0, int(rnd, raw.length + 1))],
  ['byte flips', (raw, rnd) => {
    const out = Buffer.from(raw);
    for (let i = 0, n = 1 + int(rnd, 40); i < n && out.length; i++) out[int(rnd, out.length)] = int(rnd, 256);
    return out;
  }],
  ['huge folded header', (raw, rnd) => {
    const fold = Array.from({ length: 2000 + int(rnd, 8000) }, (_, i) => `${i % 7 === 0 ? '[' : ''}x${i}(`).join('\r\n\t');
    return Buffer.concat([Buffer.from(`X-Huge: ${fold}\r\nReceived: from a (${fold}) by b\r\n`), raw]);
  }],
  ['10,000 Received lines', (raw, rnd) => {
    const lines = Array.from({ length: 10_000 }, (_, i) => `Received: from h${i} (h${i} [${rnd() < 0.5 ? ip(rnd) : '40.107.1.1'}]) by mx${i}.outlook.com with ESMTP; Tue, 25 Nov 2025 10:00:00 +0000\r\n`);
    return Buffer.concat([Buffer.from(lines.join('')), raw]);
  }],
  ['deep MIME nesting', (raw, rnd) => {
    const depth = 50 + int(rnd, 300);
    const head = Array.from({ length: depth }, (_, i) => `Content-Type: ${i % 2 ? 'message/rfc822' : `multipart/mixed; boundary="b${i}"`}\r\n\r\n${i % 2 ? '' : `--b${i}\r\n`}`).join('');
    return Buffer.concat([Buffer.from(`From: a@b.example\r\nMIME-Version: 1.0\r\n${head}`), raw]);
  }],
  ['junk Received values', (raw, rnd) => {
    const junk = ['from [', 'from ([[[[', `from x (y [IPv6:${'f'.repeat(int(rnd, 300))}]) by`, `by ${'a.'.repeat(5000)}`, `from (${'('.repeat(3000)}`, `from x ([${ip(rnd)}]) by y (${')'.repeat(3000)}`];
    return Buffer.concat([Buffer.from(junk.map((j) => `Received: ${j}\r\n`).join('')), raw]);
  }],
  ['many tenant headers and signatures', (raw, rnd) => {
    const lines = Array.from({ length: 3000 }, (_, i) => (i % 2 ? `X-MS-Exchange-CrossTenant-Id: ${int(rnd, 1e9)}\r\n` : `DKIM-Signature: v=1; d=signing.outlook.com; s=platform1; h=from; bh=x; b=${'A'.repeat(int(rnd, 50))}\r\n`));
    return Buffer.concat([Buffer.from(lines.join('')), raw]);
  }],
  ['splice two messages', (raw, rnd) => {
    const other = seeds[int(rnd, seeds.length)]!;
    return Buffer.concat([raw.subarray(0, int(rnd, raw.length)), other.subarray(int(rnd, other.length))]);
  }],
];

const KINDS = ['arf', 'xarf', 'forward', 'direct', 'dsn', 'auto-reply', 'empty'];

describe('fuzz: mutated messages never throw and stay bounded', function () {
  this.timeout(600_000);

  it(`${ROUNDS} mutations (seed ${SEED.toString(16)})`, async () => {
    const rnd = mulberry32(SEED);
    const counts = new Map<string, number>();
    for (let round = 0; round < ROUNDS; round++) {
      const seedIndex = int(rnd, seeds.length);
      const [name, mutate] = MUTATIONS[round % MUTATIONS.length]!;
      const input = mutate(seeds[seedIndex]!, rnd);
      const where = `round ${round}, mutation "${name}", seed message ${seedIndex}`;
      let a;
      try {
        a = await analyzeSubmission(input, tenancy);
      } catch (err) {
        throw new Error(`${where}: threw ${(err as Error).stack}`);
      }
      expect(KINDS, where).to.include(a.kind);
      expect(a.reports.length, where).to.be.at.most(20);
      for (const r of a.reports) {
        expect(r.hops.length, where).to.be.at.most(MAX_HOPS);
        expect(r.receivedChain.length, where).to.be.at.most(MAX_HOPS);
        expect(r.evidence.length, where).to.be.at.most(MAX_EVIDENCE_LINES);
        for (const line of r.evidence) {
          expect(line.length, where).to.be.at.most(MAX_EVIDENCE_LINE);
          expect(/[\u0000-\u001f\u007f]/.test(line), `${where}: control character in evidence`).to.equal(false);
        }
      }
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    expect([...counts.values()].reduce((x, y) => x + y, 0)).to.equal(ROUNDS);
  });
});
