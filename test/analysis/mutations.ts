/**
 * Deterministic mutations of real messages, shared by the fuzz test (never throw, stay bounded) and the
 * mailparser differential test (read what mailparser reads). Seeded: the same seed gives the same inputs.
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
