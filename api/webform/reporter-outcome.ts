import type { Translate } from '../web/i18n/catalog.ts';

/**
 * What a reporter may learn about their own report, in plain words: received, processed, and what
 * happened — never an IP, a tenant, a score or the evidence trail (those are analysts' business, and
 * a spammer testing their mail through the form would learn how to evade us).
 */
export type ReporterStep = 'received' | 'processed' | 'failed';

export interface ReporterOutcome {
  step: ReporterStep;
  /** One or two sentences for a person. */
  text: string;
}

export interface StatusRow {
  status: string;
  /** `<kind>: <reason>` for discarded submissions (workers/submissions/commit-submissions.ts). */
  error: string | null;
  /** The direction of each report found in the submission. */
  directions: string[];
}

/**
 * The outcome in the reporter's words (`t`: the `report` translations, keys `outcome.*`). Several
 * messages in one report: a lead sentence with their number, then one sentence per kind found.
 */
export function reporterOutcome(row: StatusRow, t: Translate): ReporterOutcome {
  if (row.status === 'received' || row.status === 'queued') return { step: 'received', text: t('outcome.waiting') };
  if (row.status === 'failed') return { step: 'failed', text: t('outcome.failed') };
  if (row.status === 'discarded' || row.directions.length === 0) {
    const bounce = /^(dsn|auto-reply)\b/.test(row.error ?? '');
    return { step: 'processed', text: bounce ? t('outcome.bounce') : t('outcome.noMessage') };
  }
  const parts = new Set(row.directions.map((d) => (d === 'outbound' ? 'outbound' : d === 'unknown' ? 'unknown' : 'outside')));
  const texts = (['outbound', 'outside', 'unknown'] as const).filter((p) => parts.has(p)).map((p) => t(`outcome.${p}`));
  const lead = row.directions.length > 1 ? `${t('outcome.several', { count: row.directions.length })} ` : '';
  return { step: 'processed', text: lead + texts.join(' ') };
}
