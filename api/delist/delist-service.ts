import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { AppError } from '../../shared/errors/app-error.ts';
import { decideDelist } from '../../shared/reputation/decisions.ts';
import type { ReputationSettings } from '../../shared/reputation/settings.ts';
import type { IpCache } from '../../shared/reputation/store/ip-cache.ts';
import { getListing, removalsIn30Days, removeListing, type ListingRow } from '../../shared/reputation/store/listings-repo.ts';
import { getSubject, subjectState } from '../../shared/reputation/store/subject-state.ts';
import { audit } from './delist-audit.ts';

/** How long a mailed confirmation link works. */
export const LINK_TTL_MS = 24 * 3600_000;

export type RequestStatus = 'unconfirmed' | 'delisted' | 'queued' | 'approved' | 'denied' | 'not_listed';

export interface DelistRequest {
  id: string;
  ip: string;
  email: string;
  status: RequestStatus;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
  reasons: string[];
  decidedBy: string | null;
  decisionReason: string | null;
}

const hashToken = (t: string) => createHash('sha256').update(t).digest('hex');

const COLS = `id, host(ip) AS ip, email, status, created_at, expires_at, used_at, reasons, decided_by, decision_reason`;
type Row = { id: string; ip: string; email: string; status: RequestStatus; created_at: Date; expires_at: Date; used_at: Date | null; reasons: string[]; decided_by: string | null; decision_reason: string | null };
const toRequest = (r: Row): DelistRequest => ({
  id: r.id, ip: r.ip, email: r.email, status: r.status, createdAt: r.created_at, expiresAt: r.expires_at, usedAt: r.used_at,
  reasons: r.reasons, decidedBy: r.decided_by, decisionReason: r.decision_reason,
});

/** A new request for a listed IP: a random single-use token (only its SHA-256 is stored). */
export async function createRequest(ds: DataSource, ip: string, email: string, clientIp: string | null, now: Date): Promise<{ id: string; token: string } | null> {
  return ds.transaction(async (em) => {
    if (!(await getListing(em, ip))) {
      await audit(em, { ip, email, clientIp, action: 'not_listed', detail: 'request for an IP that is not listed; nothing mailed' });
      return null;
    }
    const id = randomUUID();
    const token = randomBytes(32).toString('base64url');
    await em.query(
      `INSERT INTO delist_requests (id, ip, email, token_sha256, client_ip, created_at, expires_at, status) VALUES ($1, $2::inet, $3, $4, $5::inet, $6, $7, 'unconfirmed')`,
      [id, ip, email, hashToken(token), clientIp, now, new Date(now.getTime() + LINK_TTL_MS)],
    );
    await audit(em, { requestId: id, ip, email, clientIp, action: 'requested', detail: 'confirmation link created (valid 24 h)' });
    return { id, token };
  });
}

/** The request a token belongs to, if the token is valid now; plus the current listing. */
export async function findByToken(em: EntityManager, token: string, now: Date, forUpdate = false): Promise<{ request: DelistRequest; listing: ListingRow | null } | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const [row]: Row[] = await em.query(`SELECT ${COLS} FROM delist_requests WHERE token_sha256 = $1${forUpdate ? ' FOR UPDATE' : ''}`, [hashToken(token)]);
  if (!row || row.used_at || row.expires_at.getTime() <= now.getTime()) return null;
  return { request: toRequest(row), listing: await getListing(em, row.ip) };
}

export interface ConfirmOutcome {
  request: DelistRequest;
  status: 'delisted' | 'queued' | 'not_listed';
  reasons: string[];
}

/**
 * The sender pressed "Delist": the token is spent, then the rules decide — automatic removal, or
 * the queue for an analyst. The Redis copy is brought in step after the commit.
 */
export async function confirmRequest(ds: DataSource, cache: IpCache, s: ReputationSettings, token: string, clientIp: string | null, now: Date): Promise<ConfirmOutcome> {
  const out = await ds.transaction(async (em): Promise<ConfirmOutcome> => {
    const found = await findByToken(em, token, now, true);
    if (!found) throw new AppError('not_found', 'this link is unknown, already used, or expired; request a new one');
    const { request } = found;
    await em.query(`UPDATE delist_requests SET used_at = $2 WHERE id = $1`, [request.id, now]);
    const listing = await getListing(em, request.ip, true);
    if (!listing) {
      await finish(em, request.id, 'not_listed', ['the IP is no longer listed']);
      await audit(em, { requestId: request.id, ip: request.ip, email: request.email, clientIp, action: 'confirmed', detail: 'IP no longer listed' });
      return { request, status: 'not_listed', reasons: ['the IP is no longer listed'] };
    }
    const subj = await getSubject(em, 'ip', request.ip);
    const st = subj ? await subjectState(em, subj, s, now) : null;
    const d = decideDelist(
      { score: st?.score ?? 0, lastReportAt: subj?.last_report_at?.getTime() ?? null, removals30d: await removalsIn30Days(em, request.ip, now), now: now.getTime(), manual: listing.manual },
      s,
    );
    if (d.action === 'auto') {
      await removeListing(em, request.ip, 'delisted', `self-service request ${request.id}: ${d.reasons.join('; ')}`, `delist-request:${request.email}`, now);
      await finish(em, request.id, 'delisted', d.reasons);
    } else {
      await finish(em, request.id, 'queued', d.reasons);
    }
    await audit(em, { requestId: request.id, ip: request.ip, email: request.email, clientIp, action: 'confirmed', detail: `${d.action === 'auto' ? 'removed automatically' : 'queued for an analyst'}: ${d.reasons.join('; ')}` });
    return { request, status: d.action === 'auto' ? 'delisted' : 'queued', reasons: d.reasons };
  });
  if (out.status === 'delisted') await cache.sync(ds, [out.request.ip]);
  return out;
}

async function finish(em: EntityManager, id: string, status: RequestStatus, reasons: string[]): Promise<void> {
  await em.query(`UPDATE delist_requests SET status = $2, reasons = $3::jsonb WHERE id = $1`, [id, status, JSON.stringify(reasons)]);
}

export async function listRequests(ds: DataSource, status: RequestStatus | 'all', limit: number): Promise<DelistRequest[]> {
  const rows: Row[] = await ds.query(
    `SELECT ${COLS} FROM delist_requests WHERE ($1 = 'all' OR status = $1) ORDER BY created_at DESC LIMIT $2`,
    [status, limit],
  );
  return rows.map(toRequest);
}

/**
 * An analyst's decision on a queued request; approving removes the listing with the analyst's reason.
 * `alsoInTransaction` runs inside the decision's transaction (the analyst audit row).
 */
export async function decideRequest(
  ds: DataSource, cache: IpCache, id: string, decision: 'approve' | 'deny', reason: string, actor: string, now: Date,
  alsoInTransaction?: (em: EntityManager, req: DelistRequest) => Promise<void>,
): Promise<DelistRequest> {
  const req = await ds.transaction(async (em) => {
    const [row]: Row[] = await em.query(`SELECT ${COLS} FROM delist_requests WHERE id = $1 FOR UPDATE`, [id]);
    if (!row) throw new AppError('not_found', `no delist request ${id}`);
    if (row.status !== 'queued') throw new AppError('conflict', `request ${id} is ${row.status}; only queued requests can be decided`);
    const status: RequestStatus = decision === 'approve' ? 'approved' : 'denied';
    if (decision === 'approve') await removeListing(em, row.ip, 'delisted', `analyst approved request ${id}: ${reason}`, actor, now);
    await em.query(`UPDATE delist_requests SET status = $2, decided_by = $3, decided_at = $4, decision_reason = $5 WHERE id = $1`, [id, status, actor, now, reason]);
    await audit(em, { requestId: id, ip: row.ip, email: row.email, action: status, detail: `${actor}: ${reason}` });
    const decided = toRequest({ ...row, status, decided_by: actor, decision_reason: reason });
    await alsoInTransaction?.(em, decided);
    return decided;
  });
  if (decision === 'approve') await cache.sync(ds, [req.ip]);
  return req;
}
