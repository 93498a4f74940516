import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { DataSource } from 'typeorm';
import { testDataSource, truncateAll } from '../helpers/db.ts';
import { PACKAGE_ROOT } from '../../shared/package-root.ts';
import { createLogger } from '../../shared/logger.ts';
import { analyzeSubmission } from '../../shared/analysis/analyze.ts';
import { EMPTY_COMPILED_TENANCY } from '../../shared/tenancy/compile-tenancy.ts';
import { INLINE_RAW_BYTES, loadRawInChunks, loadSubmissions } from '../../workers/submissions/load-raw.ts';
import { processSubmission } from '../../workers/submissions/process-submission.ts';
import { seedSubmission } from '../reliability/helpers/seed.ts';

/**
 * Every value the worker reads to process a submission, compared at both ends: what the intake
 * stored, and what `loadSubmissions` / `loadRawInChunks` hand to the analysis. node-postgres'
 * binary mode (used here until issue 12.1) replaced every byte sequence that is not valid UTF-8
 * with U+FFFD: timestamps, sizes with a byte ≥ 0x80, and 8-bit raw messages came back altered.
 */

/** A message whose header and body carry every byte value 0x01–0xff, padded to `size` bytes. */
function eightBitMessage(size: number): Buffer {
  const every = Buffer.from(Array.from({ length: 255 }, (_, i) => i + 1));
  const head = Buffer.concat([
    Buffer.from('Received: from mail.bulk.example (mail.bulk.example [198.51.100.77])\r\n\tby mx.customer.example; Thu, 26 Nov 2026 10:00:00 +0000\r\n'),
    Buffer.from('From: caf\xe9@bulk.example\r\nSubject: Caf\xe9 cr\xe8me \xff\xfe offer\r\nMessage-ID: <8bit@bulk.example>\r\n\r\n', 'latin1'),
  ]);
  const out = Buffer.alloc(size, 0x80);
  head.copy(out);
  for (let at = head.length; at < size; at += every.length) every.copy(out, at, 0, Math.min(every.length, size - at));
  return out;
}

// Sizes whose int4 bytes include values ≥ 0x80 (not UTF-8 alone): one inline, one read in slices.
const INLINE_SIZE = 0x0008_90a0; // 561,312
const CHUNKED_SIZE = 0x001a_8090; // 1,736,848
// Times whose timestamptz bytes (µs since 2000, big-endian int8) are not valid UTF-8.
const TIMES = ['2026-11-30T14:33:03.999Z', '2025-11-28T10:11:12.345Z', '2001-02-03T04:05:06.789Z', '1999-12-31T23:59:59.500Z'].map((s) => new Date(s));

describe('the worker reads what the intake stored (issue 12.1)', () => {
  let ds: DataSource;
  before(async () => {
    ds = await testDataSource();
  });
  after(() => ds.destroy());
  beforeEach(() => truncateAll(ds));

  it('loads received_at, sizes and 8-bit raw messages unchanged, inline and in slices', async () => {
    expect(INLINE_SIZE).to.be.below(INLINE_RAW_BYTES);
    expect(CHUNKED_SIZE).to.be.above(INLINE_RAW_BYTES);
    const inline = eightBitMessage(INLINE_SIZE);
    const chunked = eightBitMessage(CHUNKED_SIZE);
    const ids = [];
    for (const [i, at] of TIMES.entries()) {
      ids.push(await seedSubmission(ds, i % 2 ? chunked : inline, { receivedAt: at, reporter: `r\u00e9porter-${i}@example.org` }));
    }
    const loaded = await loadSubmissions(ds, ids);
    for (const [i, id] of ids.entries()) {
      const row = loaded.get(id)!;
      const raw = i % 2 ? chunked : inline;
      expect(row.received_at.toISOString(), `received_at #${i}`).to.equal(TIMES[i]!.toISOString());
      expect(row.raw_size, `raw_size #${i}`).to.equal(raw.length);
      expect(row.raw_sha256).to.equal(createHash('sha256').update(raw).digest('hex'));
      expect(row.reporter).to.equal(`r\u00e9porter-${i}@example.org`);
      expect(row.status).to.equal('queued');
      expect(row.channel).to.equal('http');
      if (i % 2) {
        expect(row.content, 'large messages are not inline').to.equal(null);
        expect((await loadRawInChunks(ds, row.raw_sha256!, row.raw_size!))!.equals(raw), 'sliced bytes').to.equal(true);
      } else {
        expect(row.content!.equals(raw), 'inline bytes').to.equal(true);
      }
    }
  });

  it('analyses the stored bytes: an 8-bit subject reaches the report as the core reads it from the original', async () => {
    const raw = eightBitMessage(4096);
    const at = TIMES[0]!;
    const id = await seedSubmission(ds, raw, { receivedAt: at });
    const direct = await analyzeSubmission(raw, EMPTY_COMPILED_TENANCY);
    expect(direct.reports[0]!.subject).to.include('Caf');
    const outcome = await processSubmission({ ds, log: createLogger('silent'), analyze: (b) => analyzeSubmission(b, EMPTY_COMPILED_TENANCY) }, id);
    expect(outcome).to.deep.equal({ outcome: 'processed', reports: 1 });
    const [report] = await ds.query(`SELECT subject, from_address, received_at FROM reports WHERE submission_id = $1`, [id]);
    expect(report.subject).to.equal(direct.reports[0]!.subject);
    expect(report.subject).not.to.include('\ufffd');
    expect(report.from_address).to.equal(direct.reports[0]!.from);
    expect((report.received_at as Date).toISOString()).to.equal(at.toISOString());
  });

  it('no statement asks node-postgres for binary results (it alters non-UTF-8 values)', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (path.endsWith('.ts') && /\bbinary\s*:\s*true\b/.test(readFileSync(path, 'utf8'))) offenders.push(relative(PACKAGE_ROOT, path));
      }
    };
    for (const dir of ['api', 'shared', 'workers', 'runtime', 'cli', 'bench']) walk(join(PACKAGE_ROOT, dir));
    expect(offenders).to.deep.equal([]);
  });
});
