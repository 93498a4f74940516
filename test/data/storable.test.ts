import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { testDataSource, truncateAll } from '../helpers/db.ts';
import { REPORT_LIMITS, storableInet, storableJson, storableText, storableTimestamp } from '../../shared/db/storable.ts';
import { insertSubmissions } from '../../shared/intake/insert-submissions.ts';

describe('storable values (shared/db/storable.ts)', () => {
  describe('text', () => {
    it('replaces NUL and lone surrogates, keeps surrogate pairs and everything else', () => {
      expect(storableText('a\u0000b')).to.equal('a\ufffdb');
      expect(storableText('x\ud800y')).to.equal('x\ufffdy');
      expect(storableText('x\udc00y')).to.equal('x\ufffdy');
      expect(storableText('end\ud83d')).to.equal('end\ufffd');
      expect(storableText('\u{1F4E7} caf\u00e9 \u202e \t\r\n')).to.equal('\u{1F4E7} caf\u00e9 \u202e \t\r\n');
      expect(storableText(null)).to.equal(null);
      expect(storableText(undefined)).to.equal(null);
    });

    it('cuts to N characters as Postgres counts them (code points), never inside a pair', () => {
      expect(storableText('abcdef', 4)).to.equal('abcd');
      expect(storableText('\u{1F4E7}'.repeat(5), 3)).to.equal('\u{1F4E7}'.repeat(3));
      expect(storableText(`ab${'\u{1F4E7}'}`, 3)).to.equal(`ab${'\u{1F4E7}'}`);
      expect(storableText('abc', 10)).to.equal('abc');
    });
  });

  it('JSON: every string and key cleaned, non-finite numbers null, structure kept', () => {
    expect(storableJson({ 'k\u0000': ['a\u0000', 1, Infinity, null, { x: '\ud800' }], n: NaN, b: true })).to.deep.equal({
      'k\ufffd': ['a\ufffd', 1, null, null, { x: '\ufffd' }], n: null, b: true,
    });
  });

  it('timestamps outside years 1–9999 and nonsense are null', () => {
    expect(storableTimestamp('2026-11-30T14:33:03.123Z')).to.equal('2026-11-30T14:33:03.123Z');
    expect(storableTimestamp(new Date(8.64e15).toISOString())).to.equal(null);
    expect(storableTimestamp('-000001-01-01T00:00:00.000Z')).to.equal(null);
    expect(storableTimestamp('no date')).to.equal(null);
    expect(storableTimestamp(null)).to.equal(null);
  });

  it('inet: an address, never a zone id or junk', () => {
    expect(storableInet('203.0.113.7')).to.equal('203.0.113.7');
    expect(storableInet('2001:db8::1')).to.equal('2001:db8::1');
    expect(storableInet('fe80::1%eth0')).to.equal(null);
    expect(storableInet('1.2.3.4\u0000')).to.equal(null);
  });

  describe('against Postgres', () => {
    let ds: DataSource;
    before(async () => {
      ds = await testDataSource();
    });
    after(() => ds.destroy());
    beforeEach(() => truncateAll(ds));

    it('what Postgres refuses as it is, it stores once made storable', async () => {
      const hostile = `a\u0000b\ud800c${'\u{1F4E7}'.repeat(40)}`;
      const json = JSON.stringify({ v: hostile });
      await ds.query(`CREATE TABLE storable_probe (t text, j jsonb, v varchar(32))`);
      try {
        let refused = 0;
        for (const [column, param] of [['t', hostile], ['j', json], ['v', hostile.replace('\u0000', '')]] as const) {
          await ds.query(`INSERT INTO storable_probe (${column}) VALUES ($1)`, [param]).catch(() => refused++);
        }
        expect(refused, 'each of text, jsonb and varchar(32) refuses the raw value').to.equal(3);
        await ds.query(`INSERT INTO storable_probe (t, j, v) VALUES ($1, $2, $3)`, [
          storableText(hostile), JSON.stringify(storableJson({ v: hostile })), storableText(hostile, REPORT_LIMITS.feedbackType),
        ]);
      } catch (err) {
        await ds.query(`DROP TABLE storable_probe`);
        throw err;
      }
      const [row] = await ds.query(`SELECT t, j, v FROM storable_probe`);
      await ds.query(`DROP TABLE storable_probe`);
      expect(row.t).to.equal(storableText(hostile));
      expect(row.j.v).to.equal(storableText(hostile));
      expect([...row.v as string]).to.have.length(32);
    });

    it('the intake edge stores odd channel values cleaned and cut (one of them cannot fail a group commit)', async () => {
      const raw = Buffer.from('Subject: x\r\n\r\nbody\r\n');
      const sha = 'a'.repeat(64);
      const row = (input: Record<string, unknown>) => ({ id: randomUUID(), sha256: sha, input: { channel: 'webform' as const, raw, ...input } });
      const good = row({ reporter: 'ok@example.org', description: 'fine' });
      const odd = row({
        reporter: `${'r'.repeat(400)}@example.org`, envelopeFrom: 'a\u0000b@example.org', envelopeTo: ['spam\u0000@reports.localhost'],
        category: 'c'.repeat(50), description: 'd\u0000\udc00', idempotencyKey: `k${'\u0000'.repeat(3)}${'k'.repeat(300)}`,
      });
      const inserted = await insertSubmissions(ds, randomUUID(), new Date(), [good], [good, odd]);
      expect(inserted.size).to.equal(2);
      const [stored] = await ds.query(`SELECT reporter, envelope_from, envelope_to, category, description, idempotency_key FROM submissions WHERE id = $1`, [odd.id]);
      expect(stored).to.deep.equal({
        reporter: 'r'.repeat(320), envelope_from: 'a\ufffdb@example.org', envelope_to: ['spam\ufffd@reports.localhost'],
        category: 'c'.repeat(32), description: 'd\ufffd\ufffd', idempotency_key: `k\ufffd\ufffd\ufffd${'k'.repeat(196)}`,
      });
    });
  });
});
