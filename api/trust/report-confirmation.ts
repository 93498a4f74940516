import type { ApiContext } from '../context.ts';
import { addressIdentity } from '../../shared/identity/normalize-address.ts';
import { createConfirmation } from '../../shared/trust/confirmations.ts';
import { publicUrl } from '../reputation/public-url.ts';
import { MailBudget } from './mail-budget.ts';
import { reportConfirmationMail } from './trust-mails.ts';
import type { Language } from '../web/i18n/languages.ts';

/** What happened to a web report's confirmation link; shown on the thank-you page and in POST /v1/reports. */
export interface ConfirmationOutcome {
  /** True when the link was mailed; the report stays unverified (anonymous) until it is used. */
  mailed: boolean;
  to: string;
  /** When the link stops working (ISO), when mailed. */
  expiresAt: string | null;
  /** Why nothing was mailed (English, for POST /v1/reports). */
  reason: string | null;
  /** The same as a code, for pages in the visitor's language (report.json `confirmation.reasons`). */
  why: 'unmailable' | 'budget' | 'failed' | null;
}

export interface ReportConfirmations {
  /**
   * Mails a single-use 24 h link for an accepted web/API report (after its commit), in `lang` (the
   * language of the request that sent the report). Never throws: the report is stored anyway.
   */
  request(submissionId: string, email: string, clientIp: string | null, lang: Language): Promise<ConfirmationOutcome>;
}

const kits = new WeakMap<ApiContext, ReportConfirmations>();

/**
 * Rule 6 of docs/reputation.md: a web form or `POST /v1/reports` report is anonymous until the
 * given address confirms it through a mailed link (`/report/confirm`). One per app, so the mail
 * budget is shared by the form and the API.
 */
export function reportConfirmations(ctx: ApiContext): ReportConfirmations {
  const existing = kits.get(ctx);
  if (existing) return existing;
  const budget = new MailBudget(ctx.redis, ctx.config);
  const kit: ReportConfirmations = {
    async request(submissionId, email, clientIp, lang) {
      const none = (why: NonNullable<ConfirmationOutcome['why']>, reason: string): ConfirmationOutcome => ({ mailed: false, to: email, expiresAt: null, reason, why });
      const identity = addressIdentity(email);
      if (!identity) return none('unmailable', 'the address is not one we can mail');
      if (!(await budget.take(identity, clientIp))) {
        return none('budget', 'too many confirmation mails were sent to this address or from your network in the last hour; the report is kept as unverified');
      }
      try {
        const link = await createConfirmation(ctx.ds.manager, { purpose: 'report', email, identity, submissionId, clientIp, now: new Date() });
        await ctx.mailer.send(reportConfirmationMail(email, submissionId, `${publicUrl(ctx.config)}/report/confirm?token=${link.token}`, lang));
        return { mailed: true, to: email, expiresAt: link.expiresAt.toISOString(), reason: null, why: null };
      } catch (err) {
        ctx.log.warn({ err: (err as Error).message, submissionId }, 'report confirmation: could not mail the link');
        return none('failed', 'the confirmation mail could not be sent just now; the report is kept as unverified');
      }
    },
  };
  kits.set(ctx, kit);
  return kit;
}
