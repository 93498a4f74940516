import type { DataSource } from 'typeorm';
import type { IpCache } from '../../shared/reputation/store/ip-cache.ts';
import { decideRequest, type DelistRequest } from '../delist/delist-service.ts';
import { recordAction } from './audit.ts';

/**
 * An analyst's decision on a queued delist request: behind `POST /v1/delist-requests/:id/decision`
 * and the queue page's form. `decideRequest` writes the request, the listing history and the
 * delist audit; the analyst audit row joins that transaction.
 */
export function decideDelist(ds: DataSource, cache: IpCache, id: string, decision: 'approve' | 'deny', reason: string, actor: string): Promise<DelistRequest> {
  return decideRequest(ds, cache, id, decision, reason, actor, new Date(), (em, req) =>
    recordAction(em, { actor, action: decision === 'approve' ? 'delist.approve' : 'delist.deny', subject: { kind: 'delist-request', key: id }, reason, detail: { ip: req.ip } }),
  );
}
