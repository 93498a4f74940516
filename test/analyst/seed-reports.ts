import { createHash, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';

export interface SeedReport {
  receivedAt?: Date;
  channel?: string;
  kind?: string;
  subject?: string | null;
  from?: string | null;
  messageId?: string | null;
  direction?: string;
  relayIp?: string | null;
  originatingIp?: string | null;
  tenant?: string | null;
  confidence?: string | null;
  feedbackType?: string | null;
  /** The submission's category and description (what the web form and the JSON API store). */
  category?: string | null;
  description?: string | null;
  raw?: Buffer;
}

/**
 * Writes a submission + one report row directly (the analyst API reads rows; the worker path is
 * covered by the foundation and browser tests). Returns the report id.
 */
export async function seedReport(ds: DataSource, r: SeedReport = {}): Promise<string> {
  const raw = r.raw ?? Buffer.from(`Subject: ${r.subject ?? 'x'}\r\nMessage-ID: ${r.messageId ?? `<${randomUUID()}@t>`}\r\n\r\nbody\r\n`);
  const sha = createHash('sha256').update(raw).digest('hex');
  const at = r.receivedAt ?? new Date();
  const sid = randomUUID();
  const id = randomUUID();
  await ds.query(`INSERT INTO raw_messages (sha256, content, size_bytes) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [sha, raw, raw.length]);
  await ds.query(
    `INSERT INTO submissions (id, channel, received_at, raw_sha256, size_bytes, status, category, description) VALUES ($1, $2, $3, $4, $5, 'processed', $6, $7)`,
    [sid, r.channel ?? 'http', at, sha, raw.length, r.category ?? null, r.description ?? null],
  );
  const from = r.from === undefined ? 'spammer@bad.example' : r.from;
  await ds.query(
    `INSERT INTO reports (id, submission_id, idx, received_at, channel, kind, subject, from_address, from_domain, message_id,
       received_chain, direction, relay_ip, originating_ip, tenant_id, tenant_confidence, feedback_type, evidence)
     VALUES ($1,$2,0,$3,$4,$5,$6,$7,$8,$9,'[]',$10,$11,$12,$13,$14,$15,'["seeded"]')`,
    [id, sid, at, r.channel ?? 'http', r.kind ?? 'direct', r.subject === undefined ? 'Cheap pills' : r.subject, from,
      from?.split('@')[1] ?? null, r.messageId ?? null, r.direction ?? 'foreign', r.relayIp ?? null, r.originatingIp ?? null,
      r.tenant ?? null, r.confidence ?? null, r.feedbackType ?? null],
  );
  return id;
}

export const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000);

/**
 * `n` reports in one statement each for submissions and reports (a list's bounds need more than
 * 10,000 rows), received one minute apart going back from `newest`, on `channel`.
 */
export async function seedMany(ds: DataSource, n: number, opts: { channel?: string; newest?: Date; subject?: string } = {}): Promise<void> {
  const newest = opts.newest ?? new Date();
  await ds.query(
    `WITH s AS (
       INSERT INTO submissions (id, channel, received_at, size_bytes, status)
       SELECT gen_random_uuid(), $2, $3::timestamptz - g * interval '1 minute', 100, 'processed' FROM generate_series(1, $1::int) g
       RETURNING id, channel, received_at)
     INSERT INTO reports (id, submission_id, idx, received_at, channel, kind, subject, received_chain, direction)
     SELECT gen_random_uuid(), s.id, 0, s.received_at, s.channel, 'direct', $4, '[]', 'foreign' FROM s`,
    [n, opts.channel ?? 'smtp', newest, opts.subject ?? 'bulk'],
  );
}
