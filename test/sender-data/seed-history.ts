import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';

/**
 * Writes report rows as the worker would have (a submission and its report), at a chosen time —
 * a history cannot be made through the intake, which stamps `now`. Trap hits follow the SMTP
 * trap contract (channel 'trap', trust 'feed', the client's HELO in our Received hop, the envelope
 * MAIL FROM on the submission).
 */
export async function seedReport(ds: DataSource, r: {
  ip: string; at: Date; trust?: 'anonymous' | 'verified' | 'platform' | 'feed'; channel?: string; feedbackType?: string | null;
  helo?: string | null; mailFrom?: string | null; envelopeFrom?: string | null;
}): Promise<string> {
  const sid = randomUUID();
  const id = randomUUID();
  const channel = r.channel ?? 'http';
  const trust = r.trust ?? (channel === 'trap' ? 'feed' : 'verified');
  await ds.query(
    `INSERT INTO submissions (id, channel, received_at, size_bytes, status, reporter_trust, envelope_from) VALUES ($1, $2, $3, 100, 'processed', $4, $5)`,
    [sid, channel, r.at, trust, r.envelopeFrom ?? null],
  );
  const hops = [{ index: 0, ip: r.ip, rdns: null, helo: r.helo ?? null, by: 'mx.platform.example', protocol: 'ESMTP', id: null, auth: null, for: null, date: null, format: 'generic', raw: 'x' }];
  await ds.query(
    `INSERT INTO reports (id, submission_id, idx, received_at, channel, kind, received_chain, hops, deciding_hop, direction, relay_ip, originating_ip,
                          feedback_type, arf, reporter_trust)
     VALUES ($1, $2, 0, $3, $4, $5, '[]'::jsonb, $6::jsonb, 0, 'foreign', $7::inet, $7::inet, $8, $9::jsonb, $10)`,
    [id, sid, r.at, channel, r.mailFrom ? 'arf' : 'direct', JSON.stringify(hops), r.ip, r.feedbackType ?? null,
      r.mailFrom ? JSON.stringify({ originalMailFrom: r.mailFrom }) : null, trust],
  );
  return id;
}

export async function seedVolume(ds: DataSource, ip: string, hour: Date, delivered: number): Promise<void> {
  await ds.query(
    `INSERT INTO delivery_volume (kind, key, hour, delivered) VALUES ('ip', $1, $2, $3) ON CONFLICT (kind, key, hour) DO UPDATE SET delivered = EXCLUDED.delivered`,
    [ip, hour, delivered],
  );
}

/** A verified range for an owner (as an analyst's approval leaves it). */
export async function seedOwnerRange(ds: DataSource, email: string, cidr: string): Promise<string> {
  const [o]: { id: string }[] = await ds.query(
    `INSERT INTO sender_owners (id, email) VALUES ($1, $2) ON CONFLICT (email) DO UPDATE SET email = EXCLUDED.email RETURNING id`,
    [randomUUID(), email],
  );
  await ds.query(`INSERT INTO sender_ranges (id, owner_id, cidr, status, method, decided_by, decided_at) VALUES ($1, $2, $3::cidr, 'verified', 'analyst', 'test', now())`, [randomUUID(), o!.id, cidr]);
  return o!.id;
}
