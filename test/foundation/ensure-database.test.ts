import { expect } from 'chai';
import pg from 'pg';
import { dropDatabase, ensureDatabase } from '../../shared/db/ensure-database.ts';

describe('ensureDatabase', () => {
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${url.pathname.slice(1)}_ensure`;
  after(() => dropDatabase(url.toString()));

  it('creates a missing database once when several processes start at the same moment', async () => {
    // As `docker compose up` starts api, smtp and worker together on a fresh server: concurrent
    // CREATE DATABASE statements collide as a unique violation, which must count as "it exists".
    await dropDatabase(url.toString());
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => ensureDatabase(url.toString())));
    expect(results.filter((r) => r.status === 'rejected')).to.deep.equal([]);
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    expect((await client.query('SELECT current_database() AS db')).rows[0].db).to.equal(url.pathname.slice(1));
    await client.end();
  });
});
