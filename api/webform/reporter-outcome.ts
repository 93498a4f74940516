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

export const OUTCOME_TEXT = {
  waiting: 'We have your report and will read it shortly; this usually takes a few seconds. Check again in a moment.',
  outbound: 'It was sent through our service by one of our customers. Your report is on that customer\'s record, which our abuse team reviews.',
  outside: 'It was not sent through our service. Your report is on the record of the server that sent it, which we use to decide what mail we accept.',
  unknown: 'We could not tell where it came from: the lines that show a message\'s path (the "Received" headers) were missing. Next time, send the whole message or its full headers.',
  several: (n: number) => `We found ${n} messages in your report.`,
  bounce: 'What you sent looked like a bounce or an automatic reply rather than a report, so it was not recorded as a complaint.',
  noMessage: 'We found no message headers in what you sent, so nothing could be recorded. Send the whole message, or paste its full headers (the report form says how to find them).',
  failed: 'We could not finish reading your report because of a problem on our side. It is kept and our team can process it again; you do not need to send it again.',
};

export function reporterOutcome(row: StatusRow): ReporterOutcome {
  if (row.status === 'received' || row.status === 'queued') return { step: 'received', text: OUTCOME_TEXT.waiting };
  if (row.status === 'failed') return { step: 'failed', text: OUTCOME_TEXT.failed };
  if (row.status === 'discarded' || row.directions.length === 0) {
    const bounce = /^(dsn|auto-reply)\b/.test(row.error ?? '');
    return { step: 'processed', text: bounce ? OUTCOME_TEXT.bounce : OUTCOME_TEXT.noMessage };
  }
  const parts = new Set(row.directions.map((d) => (d === 'outbound' ? 'outbound' : d === 'unknown' ? 'unknown' : 'outside')));
  const texts = (['outbound', 'outside', 'unknown'] as const).filter((p) => parts.has(p)).map((p) => OUTCOME_TEXT[p]);
  const lead = row.directions.length > 1 ? `${OUTCOME_TEXT.several(row.directions.length)} ` : '';
  return { step: 'processed', text: lead + texts.join(' ') };
}
