import type { DataSource } from 'typeorm';
import { extractMessages } from '../../shared/analysis/message/extract-messages.ts';
import type { ArfFields } from '../../shared/analysis/types.ts';
import { loadRawInChunks, loadSubmissions } from '../submissions/load-raw.ts';

/** A report with what an ARF about it needs: the reported message and the addresses to redact. */
export interface ReportedForArf {
  reportId: string;
  receivedAt: Date;
  sourceIp: string | null;
  feedbackType: string | null;
  fromAddress: string | null;
  fromDomain: string | null;
  subject: string | null;
  /** The reported message (or its header section: `headersOnly`), as extraction found it. */
  message: Buffer | null;
  headersOnly: boolean;
  /** Reporter and recipients our rows know: never to leave us. */
  redact: string[];
}

/**
 * Loads a report's submission and cuts the reported message out of it again with the analysis
 * core's extractor (report `idx` = the message's index), so the ARF attaches exactly what was
 * analysed. Returns null when the report is gone; `message` is null when retention removed the raw.
 */
export async function loadReportedMessage(ds: DataSource, reportId: string): Promise<ReportedForArf | null> {
  const [r]: {
    id: string; submission_id: string; idx: number; received_at: Date; originating_ip: string | null; relay_ip: string | null;
    feedback_type: string | null; from_address: string | null; from_domain: string | null; subject: string | null; reporter: string | null;
    s_reporter: string | null; envelope_from: string | null; envelope_to: string[] | null; arf: ArfFields | null;
  }[] = await ds.query(
    `SELECT r.id, r.submission_id, r.idx, r.received_at, host(r.originating_ip) AS originating_ip, host(r.relay_ip) AS relay_ip,
            r.feedback_type, r.from_address, r.from_domain, r.subject, r.reporter, r.arf,
            s.reporter AS s_reporter, s.envelope_from, s.envelope_to
       FROM reports r JOIN submissions s ON s.id = r.submission_id WHERE r.id = $1`,
    [reportId],
  );
  if (!r) return null;
  const redact = [r.reporter, r.s_reporter, r.envelope_from, ...(r.envelope_to ?? []), ...(r.arf?.originalRcptTo ?? [])].filter((a): a is string => !!a);
  const loaded = (await loadSubmissions(ds, [r.submission_id])).get(r.submission_id);
  const raw = loaded?.content ?? (loaded?.raw_sha256 && loaded.raw_size !== null ? await loadRawInChunks(ds, loaded.raw_sha256, loaded.raw_size) : null);
  const found = raw ? extractMessages(raw).messages[r.idx] : undefined;
  return {
    reportId: r.id,
    receivedAt: r.received_at,
    sourceIp: r.originating_ip ?? r.relay_ip,
    feedbackType: r.feedback_type,
    fromAddress: r.from_address,
    fromDomain: r.from_domain,
    subject: r.subject,
    message: found?.raw ?? null,
    headersOnly: found?.source === 'rfc822-headers' || found?.source === 'inline-forward',
    redact,
  };
}
