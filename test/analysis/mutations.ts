import { readdirSync, readFileSync } from 'node:fs';
import { compileTenancy } from '../../shared/tenancy/compile-tenancy.ts';
import { loadTenancyFile } from '../../shared/tenancy/parse-tenancy.ts';
import { corpusFolder } from '../helpers/corpus.ts';

/**
 * Deterministic mutations of real messages, shared by the fuzz test (never throw, stay bounded), the
 * storage fuzz (test/data/storage-fuzz.test.ts: every result is stored) and the mailparser differential
 * test (read what mailparser reads). Seeded: the same seed gives the same inputs.
 */

/** A small seeded PRNG (mulberry32): deterministic inputs without a dependency. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Mutation = (raw: Buffer, rnd: () => number) => Buffer;
export const int = (rnd: () => number, n: number) => Math.floor(rnd() * n);
const ip = (rnd: () => number) => `${int(rnd, 256)}.${int(rnd, 256)}.${int(rnd, 256)}.${int(rnd, 256)}`;

/** The named mutations; `splice` joins the start of a message to the end of another from `pool`. */
export function mutations(pool: readonly Buffer[]): [string, Mutation][] {
  return [
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
      const other = pool[int(rnd, pool.length)]!;
      return Buffer.concat([raw.subarray(0, int(rnd, raw.length)), other.subarray(int(rnd, other.length))]);
    }],
  ];
}

/**
 * Values Postgres cannot store as they are (NUL, split surrogate pairs, lengths past a column or an
 * index entry, dates out of range), put where a reported message's fields come from. Part of the two
 * fuzz tests, not of the mailparser differential (they are about storing, not reading).
 */
export const UNSTORABLE_MUTATIONS: [string, Mutation][] = [
  ['unstorable header values', (raw, rnd) => injectIntoHeaderSections(raw, poisonHeaders(rnd))],
  ['unstorable report fields', (raw, rnd) => wrapInArf(raw, rnd)],
];

/** The fuzz tests' inputs: the seed, the messages mutated (the corpus and the attribution fixtures, so the DKIM path is fuzzed too), the tenancy. */
export const FUZZ_SEED = 0x5eed_abcd;
const fixturesDir = new URL('../fixtures/attribution/', import.meta.url);
export const fuzzTenancy = compileTenancy(loadTenancyFile(new URL('verified-tenancy.yaml', fixturesDir).pathname));
export const fuzzSeeds: Buffer[] = [
  ...['spam', 'ham', 'arf', 'x-arf', 'dsn', 'mime'].flatMap((d) => corpusFolder(d).map(([, raw]) => raw)),
  ...readdirSync(fixturesDir).filter((f) => f.endsWith('.eml')).map((f) => readFileSync(new URL(f, fixturesDir))),
];
/** What both fuzz tests apply, round-robin. */
export const FUZZ_MUTATIONS: [string, Mutation][] = [...mutations(fuzzSeeds), ...UNSTORABLE_MUTATIONS];

const EMOJI = '\u{1F4E7}'; // four UTF-8 bytes, two UTF-16 units: a cut in the middle leaves a lone surrogate
/** `n` random letters and digits: incompressible, as Postgres sees a real hostile value (a run of one letter compresses below any limit). */
const letters = (rnd: () => number, n: number) => Array.from({ length: n }, () => 'abcdefghijklmnopqrstuvwxyz0123456789'[int(rnd, 36)]).join('');
const pick = <T>(rnd: () => number, items: readonly T[]): T => items[int(rnd, items.length)]!;
const BAD_DATES = ['Sat, 13 Sep 275760 00:00:00 +0000', 'Mon, 1 Jan 0000 00:00:00 +0000', 'Fri, 31 Dec 9999 23:59:59 -1400', '1 Jan 1 00:00:00 +0000', 'Tue, 25 Nov 2025 10:00:00 +9959'];

/** Header lines whose values Postgres cannot store as they are: NUL, split surrogate pairs, lengths past a column or an index entry, dates out of range. */
function poisonHeaders(rnd: () => number): string[] {
  const many = (s: string, max: number) => s.repeat(1 + int(rnd, max));
  return [
    `Subject: win\0big =?utf-8?q?a=00b?= ${many(EMOJI, 3000)}`,
    `From: "x\0y" <spammer@${letters(rnd, 1 + int(rnd, 20_000))}.example>`,
    `Message-ID: <\0${many(EMOJI, 2000)}@bulk.example>`,
    `Date: ${pick(rnd, BAD_DATES)}`,
    `Received: from ${many(EMOJI, 5000)} (h\0 [${ip(rnd)}]) by mx\0.example with ESMTP id \0${many(EMOJI, 300)}; Tue, 25 Nov 2025 10:00:00 +0000`,
    `DKIM-Signature: v=1; d=${letters(rnd, 1 + int(rnd, 5000))}.example; s=x; h=from; bh=x; b=x`,
    `X-MS-Exchange-CrossTenant-Id: \0${letters(rnd, 1 + int(rnd, 5000))}`,
    `X-Originating-IP: [${ip(rnd)}%eth\0]`,
  ];
}

/**
 * Puts `lines` first in every header section a reported message may start at: the top of the
 * submission, and after each message/rfc822 part header (the attached messages).
 */
function injectIntoHeaderSections(raw: Buffer, lines: string[]): Buffer {
  const block = Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
  const text = raw.toString('latin1');
  const starts = [0];
  for (const m of text.matchAll(/message\/rfc822/gi)) {
    const blank = /\r?\n\r?\n/g;
    blank.lastIndex = m.index;
    const b = blank.exec(text);
    if (b) starts.push(b.index + b[0].length);
  }
  const pieces: Buffer[] = [];
  let prev = 0;
  for (const at of [...new Set(starts)].sort((a, b) => a - b)) {
    pieces.push(raw.subarray(prev, at), block);
    prev = at;
  }
  pieces.push(raw.subarray(prev));
  return Buffer.concat(pieces);
}

/** An ARF report (RFC 5965) about `raw` whose report fields cannot be stored as they are. */
function wrapInArf(raw: Buffer, rnd: () => number): Buffer {
  const long = (s: string) => s.repeat(1 + int(rnd, 4000));
  const fields = [
    `Feedback-Type: ${pick(rnd, ['abuse', 'fraud', 'x'])}${long('x')}\0`,
    `User-Agent: \0${long(EMOJI)}`,
    'Version: 1',
    `Source-IP: ${pick(rnd, [`${ip(rnd)}%eth0`, `fe80::1%\0`, `${ip(rnd)}\0`, ip(rnd)])}`,
    `Original-Mail-From: <\0${long('m')}@x.example>`,
    `Original-Rcpt-To: <${long('r')}\0@y.example>`,
    `Arrival-Date: ${pick(rnd, BAD_DATES)}`,
    `Reported-Domain: ${long(EMOJI)}\0.example`,
    `Reported-Domain: ${letters(rnd, 1 + int(rnd, 8000))}.example`,
    `Reported-Uri: http://\0${long('u')}`,
    `Incidents: ${pick(rnd, ['1e400', '99999999999999999999999', '-1', 'NaN'])}`,
  ];
  return Buffer.concat([
    Buffer.from([
      'From: fbl@provider.example', 'To: fbl@reports.example', `Subject: FBL ${long(EMOJI)}\0`, 'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=feedback-report; boundary="arf"', '',
      '--arf', 'Content-Type: text/plain', '', 'This is an abuse report.', '',
      '--arf', 'Content-Type: message/feedback-report', '', ...fields, '',
      '--arf', 'Content-Type: message/rfc822', '', '',
    ].join('\r\n'), 'utf8'),
    raw,
    Buffer.from('\r\n--arf--\r\n'),
  ]);
}
