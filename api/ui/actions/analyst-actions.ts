import { z } from 'zod';
import { IpCache } from '../../../shared/reputation/store/ip-cache.ts';
import { listingActions } from '../../actions/listing-actions.ts';
import { clearTenantFlag } from '../../actions/tenant-flag-actions.ts';
import { decideDelist } from '../../actions/delist-actions.ts';
import { redriveNotification, setNotificationsPaused } from '../../actions/notification-actions.ts';
import { bodyText, ipAddress, tenantId, uuid } from '../../edge/params.ts';
import { html } from '../../web/html.ts';
import { instant } from '../../lists/time-range.ts';
import { fmtTime } from '../page.ts';
import type { UiAction } from './confirm-action.ts';

/**
 * The analyst's actions in the UI. Each calls the same use case as its JSON endpoint
 * (api/actions/), so the UI and the API cannot drift, and each is audited there.
 */

const reason = bodyText(1000, 3);
const optionalReason = bodyText(1000, 0).optional().transform((s) => (s ? s : undefined));
const ip = ipAddress;
const tenant = tenantId;

const ipPage = (p: Record<string, string>) => `/ui/ips/${encodeURIComponent(p.ip ?? '')}`;
const tenantPage = (p: Record<string, string>) => `/ui/tenants/${encodeURIComponent(p.id ?? '')}`;

const ipReason = z.object({ ip, reason });
/** A manual listing's optional end: the form's date-time field (UTC) or an ISO time, in the future. */
const listForm = ipReason.extend({
  expiresAt: z.literal('').transform(() => undefined).or(instant.refine((t) => Date.parse(t) > Date.now(), 'must be in the future')).optional(),
});

export const listIpAction: UiAction<typeof listForm> = {
  path: '/ui/ips/:ip/list',
  title: 'List an IP',
  schema: listForm,
  carry: ['reason', 'expiresAt'],
  back: ipPage,
  describe: (i) => html`<p><strong class="mono">${i.ip}</strong> will be listed by hand: the MTA lookup and the blocklist export answer "listed" from now on, ${i.expiresAt ? `until ${fmtTime(i.expiresAt)}` : 'until an analyst or the delist rules remove it (a manual listing does not expire by itself)'}.</p>`,
  verb: (i) => `List ${i.ip}`,
  danger: true,
  precheck: (ctx, i) => listingActions(ctx).refusal(i.ip),
  perform: async (ctx, i, actor) => ((await listingActions(ctx).list(i.ip, i.reason, actor, i.expiresAt ? new Date(i.expiresAt) : null))
    ? `Listed ${i.ip}.` : `${i.ip} was listed already; it is now a manual listing with your reason.`),
};

export const unlistIpAction: UiAction<typeof ipReason> = {
  path: '/ui/ips/:ip/unlist',
  title: 'Remove a listing',
  schema: ipReason,
  carry: ['reason'],
  back: ipPage,
  describe: (i) => html`<p>The listing of <strong class="mono">${i.ip}</strong> will be removed and its score reset; the history keeps your reason.</p>`,
  verb: (i) => `Remove the listing of ${i.ip}`,
  danger: true,
  perform: async (ctx, i, actor) => {
    await listingActions(ctx).unlist(i.ip, i.reason, actor);
    return `Listing of ${i.ip} removed.`;
  },
};

const tenantReason = z.object({ id: tenant.transform((s) => s.toLowerCase()), reason });

export const clearFlagAction: UiAction<typeof tenantReason> = {
  path: '/ui/tenants/:id/clear-flag',
  title: 'Clear a tenant flag',
  schema: tenantReason,
  carry: ['reason'],
  back: tenantPage,
  describe: (i) => html`<p>The open flag of tenant <strong>${i.id}</strong> will be cleared (marked as handled); it is raised again if the tenant crosses the thresholds again.</p>`,
  verb: (i) => `Clear the flag of ${i.id}`,
  perform: async (ctx, i, actor) => {
    await clearTenantFlag(ctx.ds, i.id, i.reason, actor);
    return `Flag of ${i.id} cleared.`;
  },
};

const decision = z.object({ id: uuid, decision: z.enum(['approve', 'deny'], { error: 'choose approve or deny' }), reason });

export const delistDecisionAction: UiAction<typeof decision> = {
  path: '/ui/delist/:id/decision',
  title: 'Decide a delist request',
  schema: decision,
  carry: ['decision', 'reason'],
  back: () => '/ui/delist',
  describe: (i) => i.decision === 'approve'
    ? html`<p>Approve request <span class="mono">${i.id}</span>: its IP's listing is removed now and the sender is told by the portal.</p>`
    : html`<p>Deny request <span class="mono">${i.id}</span>: the listing stays.</p>`,
  verb: (i) => (i.decision === 'approve' ? 'Approve the request' : 'Deny the request'),
  perform: async (ctx, i, actor) => {
    const done = await decideDelist(ctx.ds, new IpCache(ctx.redis, ctx.config.REDIS_PREFIX), i.id, i.decision, i.reason, actor);
    return `${done.status === 'approved' ? 'Approved' : 'Denied'}: ${done.ip}.`;
  },
};

const pause = z.object({ id: tenant, reason: optionalReason });

function pauseAction(paused: boolean): UiAction<typeof pause> {
  return {
    path: `/ui/tenants/:id/notifications/${paused ? 'pause' : 'resume'}`,
    title: paused ? "Pause a tenant's notifications" : "Resume a tenant's notifications",
    schema: pause,
    carry: ['reason'],
    back: (p) => `${tenantPage(p)}#notifications`,
    describe: (i) => paused
      ? html`<p>Automatic notifications to tenant <strong>${i.id}</strong> stop until resumed (reports keep being counted; "notify now" still works).</p>`
      : html`<p>Automatic notifications to tenant <strong>${i.id}</strong> start again.</p>`,
    verb: (i) => `${paused ? 'Pause' : 'Resume'} notifications to ${i.id}`,
    perform: async (ctx, i, actor) => {
      const changed = await setNotificationsPaused(ctx.ds, i.id, paused, i.reason ?? null, actor);
      return changed ? `Notifications to ${i.id} ${paused ? 'paused' : 'resumed'}.` : `Notifications to ${i.id} were already ${paused ? 'paused' : 'running'}.`;
    },
  };
}
export const pauseNotificationsAction = pauseAction(true);
export const resumeNotificationsAction = pauseAction(false);

const redrive = z.object({ id: uuid, reason: optionalReason });

export const redriveAction: UiAction<typeof redrive> = {
  path: '/ui/notifications/:id/redrive',
  title: 'Re-drive a notification',
  schema: redrive,
  carry: ['reason'],
  back: () => '/ui/notifications?status=failed',
  describe: (i) => html`<p>Notification <span class="mono">${i.id}</span> is queued again with a new Message-ID; its attempts start over.</p>`,
  verb: () => 'Send it again',
  perform: async (ctx, i, actor) => {
    await redriveNotification(ctx, i.id, i.reason ?? null, actor);
    return `Notification ${i.id} queued again.`;
  },
};

export const ANALYST_ACTIONS = [
  listIpAction, unlistIpAction, clearFlagAction, delistDecisionAction, pauseNotificationsAction, resumeNotificationsAction, redriveAction,
] as unknown as UiAction<z.ZodType<Record<string, unknown>>>[];
