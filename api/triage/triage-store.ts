import type { DataSource, EntityManager } from 'typeorm';
import { AppError } from '../../shared/errors/app-error.ts';
import { transitionError, type TriageStatus, type TriageSubject } from '../../shared/triage/triage-status.ts';

/**
 * Triage cases, notes and their audit trail (migration 1764420000001). Every change is written with
 * its audit row in one transaction; the case row is locked while it changes, so two analysts acting
 * at once are applied one after the other and the transition rule holds for both.
 */

export interface TriageCase {
  kind: TriageSubject;
  key: string;
  status: TriageStatus;
  assignee: string | null;
  updatedAt: string | null;
  updatedBy: string | null;
  notes: { author: string; at: string; text: string }[];
  audit: { actor: string; at: string; action: string; detail: Record<string, unknown> }[];
}

/** Notes and audit entries returned with a case (newest first). */
const HISTORY = 100;

export async function audit(em: EntityManager, kind: TriageSubject, key: string, actor: string, action: string, detail: Record<string, unknown>): Promise<void> {
  await em.query(`INSERT INTO triage_audit (subject_kind, subject_key, actor, at, action, detail) VALUES ($1, $2, $3, now(), $4, $5)`, [kind, key, actor, action, JSON.stringify(detail)]);
}

export async function readCase(ds: DataSource | EntityManager, kind: TriageSubject, key: string): Promise<TriageCase> {
  const [row]: { status: TriageStatus; assignee: string | null; updated_at: Date; updated_by: string }[] = await ds.query(
    `SELECT status, assignee, updated_at, updated_by FROM triage_cases WHERE subject_kind = $1 AND subject_key = $2`, [kind, key]);
  const notes: { author: string; at: Date; text: string }[] = await ds.query(
    `SELECT author, at, text FROM triage_notes WHERE subject_kind = $1 AND subject_key = $2 ORDER BY at DESC, id DESC LIMIT ${HISTORY}`, [kind, key]);
  const trail: { actor: string; at: Date; action: string; detail: Record<string, unknown> }[] = await ds.query(
    `SELECT actor, at, action, detail FROM triage_audit WHERE subject_kind = $1 AND subject_key = $2 ORDER BY at DESC, id DESC LIMIT ${HISTORY}`, [kind, key]);
  return {
    kind,
    key,
    status: row?.status ?? 'new',
    assignee: row?.assignee ?? null,
    updatedAt: row?.updated_at.toISOString() ?? null,
    updatedBy: row?.updated_by ?? null,
    notes: notes.map((n) => ({ author: n.author, at: n.at.toISOString(), text: n.text })),
    audit: trail.map((a) => ({ actor: a.actor, at: a.at.toISOString(), action: a.action, detail: a.detail })),
  };
}

export interface TriageChange {
  status?: TriageStatus;
  /** A new assignee; null unassigns; undefined leaves it. */
  assignee?: string | null;
  note?: string;
}

/** Applies a status / assignee change and a note, audited; 409 `conflict` for a transition the rule forbids. */
export async function changeCase(ds: DataSource, kind: TriageSubject, key: string, change: TriageChange, actor: string): Promise<TriageCase> {
  await ds.transaction(async (em) => {
    // Create the row first (as `new`) so there is always a row to lock.
    await em.query(
      `INSERT INTO triage_cases (subject_kind, subject_key, status, updated_at, updated_by) VALUES ($1, $2, 'new', now(), $3)
       ON CONFLICT DO NOTHING`, [kind, key, actor]);
    const [cur]: { status: TriageStatus; assignee: string | null }[] = await em.query(
      `SELECT status, assignee FROM triage_cases WHERE subject_kind = $1 AND subject_key = $2 FOR UPDATE`, [kind, key]);
    const status = change.status ?? cur!.status;
    const problem = transitionError(cur!.status, status);
    if (problem) throw new AppError('conflict', problem, { status: cur!.status });
    const assignee = change.assignee === undefined ? cur!.assignee : change.assignee;
    if (status !== cur!.status || assignee !== cur!.assignee) {
      await em.query(
        `UPDATE triage_cases SET status = $3, assignee = $4, updated_at = now(), updated_by = $5 WHERE subject_kind = $1 AND subject_key = $2`,
        [kind, key, status, assignee, actor]);
      await audit(em, kind, key, actor, 'triage', { from: { status: cur!.status, assignee: cur!.assignee }, to: { status, assignee } });
    }
    if (change.note) {
      await em.query(`INSERT INTO triage_notes (subject_kind, subject_key, author, at, text) VALUES ($1, $2, $3, now(), $4)`, [kind, key, actor, change.note]);
      await audit(em, kind, key, actor, 'note', { length: change.note.length });
    }
  });
  return readCase(ds, kind, key);
}
