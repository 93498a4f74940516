import type { Translate } from '../web/i18n/catalog.ts';

/**
 * A listing's reason in the visitor's language. The reasons the system writes
 * (shared/reputation/decisions.ts, complaint-rate.ts) are recognised and translated; any other
 * is an analyst's reason for a manual listing, shown as written. Reasons hold counts and
 * thresholds only — never a reporter, a report or a recipient — which is why they may be public
 * (the blocklist export publishes them too).
 */
export function publicReason(reason: string, t: Translate): string {
  let m = /^score ([\d.]+) ≥ ([\d.]+) from (\d+) distinct reporters$/.exec(reason);
  if (m) return t('reason.score', { score: m[1], threshold: m[2], reporters: m[3] });
  m = /^score ([\d.]+) below ([\d.]+)$/.exec(reason);
  if (m) return t('reason.scoreBelow', { score: m[1], threshold: m[2] });
  m = /^complaint rate ([\d.]+%) \((\d+) complaints \/ (\d+) delivered in 24 h\) ≥ ([\d.]+%)$/.exec(reason);
  if (m) return t('reason.rate', { rate: m[1], complaints: m[2], delivered: m[3], limit: m[4] });
  return t('reason.manual', { reason });
}
