import { expect } from 'chai';
import { createHash, randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { testDataSource, truncateAll } from '../helpers/db.ts';
import { corpusFile } from '../helpers/corpus.ts';
import { createLogger } from '../../shared/logger.ts';
import { processSubmission } from '../../workers/submissions/process-submission.ts';
import { analyzeWithTenancy } from '../../workers/submissions/analyze-with-tenancy.ts';
import { loadRawInChunks } from '../../workers/submissions/load-raw.ts';
import { seedSubmission } from './helpers/seed.ts';

// 001.eml with a 3.5 MB base64 attachment appended as a MIME part: over the 1 MiB inline limit,
// with a length that is not a multiple of the slice size.
function largeSpam(): Buffer {
  const spam = corpusFile('spam/spamassassin/001.eml').toString('latin1');
  const split = spam.search(/\r?\n\r?\n/);
  const b64 = randomBytes(2_600_001).toString('base64').replace(/.{76}/g, '$&\r\n');
  return Buffer.from([
    spam.slice(0, split).replace(/^Content-Type:.*(\r?\n[ \t].*)*\r?\n/im, ''),
    'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b1"', '', '--b1', 'Content-Type: text/plain', '',
    spam.slice(split).trim(), '--b1', 'Content-Type: application/octet-stream', 'Content-Transfer-Encoding: base64', '', b64, '--b1--', '',
  ].join('\r\n'), 'latin1');
}

describe('large raw messages', () => {
  let ds: DataSource;
  before(async () => {
    ds = await testDataSource();
  });
  after(() => ds.destroy());
  beforeEach(() => truncateAll(ds));

  it('are read back in slices byte for byte', async () => {
    const raw = largeSpam();
    expect(raw.length).to.be.greaterThan(3 * 1024 * 1024);
    await seedSubmission(ds, raw);
    const sha = createHash('sha256').update(raw).digest('hex');
    expect((await loadRawInChunks(ds, sha, raw.length))!.equals(raw)).to.equal(true);
  });

  it('are processed like small ones', async () => {
    const id = await seedSubmission(ds, largeSpam());
    const outcome = await processSubmission({ ds, log: createLogger('silent'), analyze: analyzeWithTenancy(ds, 5) }, id);
    expect(outcome).to.deep.equal({ outcome: 'processed', reports: 1 });
    const [report] = await ds.query(`SELECT subject FROM reports WHERE submission_id = $1`, [id]);
    expect(report.subject).to.equal('There yours for FREE!');
  });

  it('give null when the message is gone', async () => {
    expect(await loadRawInChunks(ds, 'f'.repeat(64), 10)).to.equal(null);
  });
});
