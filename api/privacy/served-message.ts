import type { ApiContext } from '../context.ts';
import { resolvePseudonymKey } from '../../shared/privacy/pseudonym-key.ts';
import { hideInText, hideInWrapper, reporterAddresses, type HiddenAddresses } from '../../shared/privacy/hide-reporter.ts';

const DAY_MS = 86_400_000;

export interface ServedMessage {
  kind: string;
  idx: number;
  /** The raw message as analysts may see it now; null when retention removed it. */
  content: Buffer | null;
  /** The reporter's addresses and their pseudonyms once past PSEUDONYMISE_DAYS (apply to any shown text); else null. */
  hidden: HiddenAddresses | null;
}

/**
 * The one way the api serves a report's raw message (the download, the UI's message view). Past
 * PSEUDONYMISE_DAYS — the retention job's rule, whether or not it has run yet — the reporter's
 * address is replaced by its pseudonym in the wrapper; the reported message stays byte-exact.
 * The key is the worker's (PSEUDONYMISE_KEY), so the pseudonyms match the stored ones. It is read
 * when first needed, not at start: an api process without it (production requires it) still serves
 * everything younger than the cutoff, and answers config_invalid (500) for an older message rather
 * than show the address.
 */
export function servedMessages(ctx: Pick<ApiContext, 'config' | 'ds' | 'log'>) {
  let key: Buffer | null = null;
  return {
    /** The report's message, or null when there is no such report. */
    async forReport(reportId: string, now = new Date()): Promise<ServedMessage | null> {
      const [row]: { kind: string; idx: number; received_at: Date; stored: (string | null)[]; content: Buffer | null }[] = await ctx.ds.query(
        `SELECT r.kind, r.idx, s.received_at, m.content,
                ARRAY[s.reporter, s.envelope_from, s.reporter_identity] || ARRAY(SELECT o.reporter FROM reports o WHERE o.submission_id = s.id) AS stored
           FROM reports r JOIN submissions s ON s.id = r.submission_id
           LEFT JOIN raw_messages m ON m.sha256 = s.raw_sha256
          WHERE r.id = $1`,
        [reportId],
      );
      if (!row) return null;
      const past = row.received_at.getTime() < now.getTime() - ctx.config.PSEUDONYMISE_DAYS * DAY_MS;
      if (!past || !row.content) return { kind: row.kind, idx: row.idx, content: row.content, hidden: null };
      const wrapped = row.kind !== 'direct';
      key ??= resolvePseudonymKey(ctx.config, ctx.log);
      const hidden = reporterAddresses({ raw: row.content, wrapped, stored: row.stored, key });
      // A direct submission is the reported message itself: nothing in it is a wrapper to rewrite.
      return { kind: row.kind, idx: row.idx, content: wrapped ? hideInWrapper(row.content, hidden) : row.content, hidden };
    },
  };
}

/** Text shown from a served message, with the hidden addresses replaced (identity when none). */
export function shown(text: string, hidden: HiddenAddresses | null): string;
export function shown(text: string | null, hidden: HiddenAddresses | null): string | null;
export function shown(text: string | null, hidden: HiddenAddresses | null): string | null {
  return text !== null && hidden ? hideInText(text, hidden) : text;
}
