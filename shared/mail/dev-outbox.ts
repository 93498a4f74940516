import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';

/** One mail kept by the development outbox (demo mode without a relay). */
export interface OutboxMail {
  id: string;
  createdAt: Date;
  messageId: string | null;
  from: string | null;
  to: string[];
  subject: string | null;
  raw: Buffer;
}

export async function saveToOutbox(ds: DataSource, m: { messageId: string; envelope: { from: string | false; to: string[] }; raw: Buffer }): Promise<string> {
  const id = randomUUID();
  const subject = /^Subject:[ \t]*(.*(?:\r?\n[ \t].*)*)/im.exec(m.raw.subarray(0, 64 * 1024).toString('utf8'))?.[1]?.replace(/\r?\n[ \t]+/g, ' ') ?? null;
  await ds.query(
    `INSERT INTO dev_outbox (id, message_id, envelope_from, envelope_to, subject, raw) VALUES ($1, $2, $3, $4, $5, $6)`,
    [id, m.messageId, m.envelope.from || null, m.envelope.to, subject?.slice(0, 1000) ?? null, m.raw],
  );
  return id;
}

/** Newest first. */
export async function listOutbox(ds: DataSource, limit = 100): Promise<OutboxMail[]> {
  const rows: { id: string; created_at: Date; message_id: string | null; envelope_from: string | null; envelope_to: string[]; subject: string | null; raw: Buffer }[] =
    await ds.query(`SELECT * FROM dev_outbox ORDER BY created_at DESC, id LIMIT $1`, [limit]);
  return rows.map((r) => ({ id: r.id, createdAt: r.created_at, messageId: r.message_id, from: r.envelope_from, to: r.envelope_to, subject: r.subject, raw: r.raw }));
}

export async function getOutboxMail(ds: DataSource, id: string): Promise<OutboxMail | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  return (await listOutboxWhere(ds, id))[0] ?? null;
}

async function listOutboxWhere(ds: DataSource, id: string): Promise<OutboxMail[]> {
  const rows: { id: string; created_at: Date; message_id: string | null; envelope_from: string | null; envelope_to: string[]; subject: string | null; raw: Buffer }[] =
    await ds.query(`SELECT * FROM dev_outbox WHERE id = $1`, [id]);
  return rows.map((r) => ({ id: r.id, createdAt: r.created_at, messageId: r.message_id, from: r.envelope_from, to: r.envelope_to, subject: r.subject, raw: r.raw }));
}
