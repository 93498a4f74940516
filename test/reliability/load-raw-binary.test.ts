import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { testDataSource, truncateAll } from '../helpers/db.ts';
import { createHash } from 'node:crypto';
import { loadRawInChunks, loadSubmissions } from '../../workers/submissions/load-raw.ts';

/**
 * What the worker loads (load-raw.ts) is what Postgres holds, both ends of the boundary: every byte
 * of an 8-bit raw message, its size, and received_at to the millisecond (it becomes every report's
 * received_at and campaigns' first/last seen). Binary-mode results broke all three.
 */
describe('worker load of submissions and raw messages', () => {
  let ds: DataSource;
  before(async () => {
    ds = await testDataSource();
  });
  after(() => ds.destroy());
  beforeEach(() => truncateAll(ds));

  it('reads back the stored timestamp exactly', async () => {
    const times = ['2000-01-01T00:00:00.000Z', '1999-12-31T23:59:59.999Z', '2026-11-30T17:01:11.327Z', '2026-03-03T10:00:00.123Z', '2038-01-19T03:14:08.000Z', '2100-06-15T12:34:56.789Z'];
    const ids: string[] = [];
    for (const t of times) {
      const id = randomUUID();
      ids.push(id);
      await ds.query(`INSERT INTO submissions (id, channel, received_at, size_bytes, status) VALUES ($1, 'http', $2, 10, 'queued')`, [id, t]);
    }
    const loaded = await loadSubmissions(ds, ids);
    expect(ids.map((id) => loaded.get(id)!.received_at.toISOString())).to.deep.equal(times);
  });

  it('reads every byte of an 8-bit raw message and its size, inline and in slices', async () => {
    const raw = Buffer.concat([Buffer.from('Subject: caf'), Buffer.from([0xe9, 0xff, 0x80, 0x00, 0x7f]), Buffer.from('\r\n\r\nbody'), Buffer.alloc(300, 0xfe)]);
    const sha = createHash('sha256').update(raw).digest('hex');
    await ds.query(`INSERT INTO raw_messages (sha256, content, size_bytes) VALUES ($1, $2, $3)`, [sha, raw, raw.length]);
    const id = randomUUID();
    await ds.query(`INSERT INTO submissions (id, channel, received_at, raw_sha256, size_bytes, status) VALUES ($1, 'http', now(), $2, $3, 'queued')`, [id, sha, raw.length]);
    const row = (await loadSubmissions(ds, [id])).get(id)!;
    expect(row.raw_size).to.equal(raw.length);
    expect(Buffer.compare(row.content!, raw)).to.equal(0);
    expect(Buffer.compare((await loadRawInChunks(ds, sha, raw.length))!, raw)).to.equal(0);
  });
});
