import { expect } from 'chai';
import { corpusFolder } from '../../helpers/corpus.ts';
import { mulberry32, mutations } from '../mutations.ts';
import { KNOWN_DIFFERENCES } from './mailparser-differences.ts';
import { FIELDS, coreFirstText, coreView, mailparserView, type View } from './mailparser-views.ts';

/**
 * The hand-written MIME reader against a well-kept one (issue 13, point 5). For every corpus message and
 * one deterministic mutation of each (the fuzz test's mutations, round-robin, so every kind is used some
 * 28 times), the core's Subject, first From address, Message-ID, Date, body text and attached messages
 * must equal what mailparser's simpleParser reports, or the difference must be in KNOWN_DIFFERENCES with
 * the reason ours is right. An entry that no longer differs fails too: the list stays exact.
 */
const SEED = 0x13_0000;
const corpus = ['arf', 'auto-reply', 'dsn', 'ham', 'mime', 'spam', 'x-arf'].flatMap((d) => corpusFolder(d));
const MUTATIONS = mutations(corpus.map(([, raw]) => raw));

/** The inputs: each corpus message as it is, and mutated by mutation `i mod 8` with its own seed. */
function inputs(): [string, Buffer][] {
  return corpus.flatMap(([path, raw], i): [string, Buffer][] => {
    const k = i % MUTATIONS.length;
    const [name, mutate] = MUTATIONS[k]!;
    return [[path, raw], [`${path}~${name}`, mutate(raw, mulberry32(SEED + i * 16 + k))]];
  });
}

const show = (v: View, f: keyof View) => JSON.stringify(v[f])?.slice(0, 160);

describe('the MIME reader against mailparser (differential)', function () {
  this.timeout(180_000);
  // mailparser reads a zone-less Date in the process's time zone, the core as UTC: compare in UTC.
  let tz: string | undefined;
  before(() => {
    tz = process.env.TZ;
    process.env.TZ = 'UTC';
  });
  after(() => {
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
  });

  it(`reads ${corpus.length} corpus messages and ${corpus.length} mutations as mailparser does, but for the listed differences`, async () => {
    expect(corpus.length).to.be.greaterThan(200);
    const unexplained: string[] = [];
    const seen = new Set<string>();
    for (const [key, raw] of inputs()) {
      const ours = coreView(raw);
      const theirs = await mailparserView(raw);
      for (const f of FIELDS) {
        if (JSON.stringify(ours[f]) === JSON.stringify(theirs[f])) continue;
        if (KNOWN_DIFFERENCES[key]?.[f]) seen.add(`${key} ${f}`);
        else unexplained.push(`${key} ${f}\n    core:       ${show(ours, f)}\n    mailparser: ${show(theirs, f)}`);
      }
    }
    const stale = Object.entries(KNOWN_DIFFERENCES).flatMap(([key, fields]) => Object.keys(fields).map((f) => `${key} ${f}`)).filter((k) => !seen.has(k));
    expect(unexplained, 'differences not in KNOWN_DIFFERENCES').to.deep.equal([]);
    expect(stale, 'KNOWN_DIFFERENCES entries that no longer differ').to.deep.equal([]);
  });

  it('firstBodyText, the core\'s accessor, gives the first text/plain body part of what was compared', () => {
    for (const [key, raw] of inputs()) {
      const first = coreFirstText(raw);
      const joined = coreView(raw).text;
      if (first === null || first === '') continue;
      // The joined text starts with the first text part (mailparser joins parts with LF).
      expect(joined === first || joined?.startsWith(`${first}\n`), key).to.equal(true);
    }
  });
});
