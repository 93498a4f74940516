import type { DataSource, EntityManager } from 'typeorm';

/** Every analyst action, by name (docs/analyst.md, "Actions"). */
export const AUDIT_ACTIONS = [
  'ip.list', 'ip.unlist', 'tenant-flag.clear', 'delist.approve', 'delist.deny',
  'notifications.pause', 'notifications.resume', 'notification.redrive',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export type AuditSubjectKind = 'ip' | 'tenant' | 'delist-request' | 'notification';

export interface AuditEntry {
  /** `user:<email>` (the UI) or `analyst:<key id>` (the API). */
  actor: string;
  action: AuditAction;
  subject: { kind: AuditSubjectKind; key: string };
  reason: string | null;
  detail?: Record<string, unknown>;
}

/**
 * One row in `analyst_audit`, written with the change it records (pass the transaction's
 * EntityManager): an action is never done without its record, nor recorded without being done.
 */
export async function recordAction(em: EntityManager, e: AuditEntry): Promise<void> {
  await em.query(
    `INSERT INTO analyst_audit (actor, action, subject_kind, subject_key, reason, detail) VALUES ($1, $2, $3, $4, $5, $6::jsonb)`,
    [e.actor, e.action, e.subject.kind, e.subject.key, e.reason, JSON.stringify(e.detail ?? {})],
  );
}

export interface AuditRow {
  id: string;
  at: Date;
  actor: string;
  action: AuditAction;
  subject_kind: AuditSubjectKind;
  subject_key: string;
  reason: string | null;
  detail: Record<string, unknown>;
}

/** The latest actions on one subject, newest first (the IP and tenant pages show them). */
export async function subjectTrail(ds: DataSource, kind: AuditSubjectKind, key: string, limit = 20): Promise<AuditRow[]> {
  return ds.query(
    `SELECT id::text, at, actor, action, subject_kind, subject_key, reason, detail FROM analyst_audit
      WHERE subject_kind = $1 AND subject_key = $2 ORDER BY at DESC, id DESC LIMIT $3`,
    [kind, key, limit],
  );
}
