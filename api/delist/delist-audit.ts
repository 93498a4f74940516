import type { EntityManager } from 'typeorm';

export interface AuditEntry {
  requestId?: string | null;
  ip?: string | null;
  email?: string | null;
  clientIp?: string | null;
  action: string;
  detail: string;
}

/** Every step of the delist flow leaves a row: requested, mailed, opened, confirmed, decided, refused. */
export async function audit(em: EntityManager, e: AuditEntry): Promise<void> {
  await em.query(`INSERT INTO delist_audit (request_id, ip, email, client_ip, action, detail) VALUES ($1, $2::inet, $3, $4::inet, $5, $6)`, [
    e.requestId ?? null,
    e.ip ?? null,
    e.email ?? null,
    e.clientIp ?? null,
    e.action,
    e.detail.slice(0, 2000),
  ]);
}
